package dev.shm.runtime.image;

/**
 * An 8-bit image held in Java memory: {@code channels} interleaved samples per pixel, row-major, in RGB or RGBA
 * order (never OpenCV's BGR), or a single gray channel for mattes, masks and trimaps.
 */
public record Raster(int width, int height, int channels, byte[] data) {
    public Raster {
        if (width <= 0 || height <= 0 || channels <= 0) {
            throw new IllegalArgumentException("a raster needs a positive size, got " + width + "x" + height + "x" + channels);
        }
        if (data.length != width * height * channels) {
            throw new IllegalArgumentException("a " + width + "x" + height + "x" + channels + " raster needs "
                    + width * height * channels + " bytes, got " + data.length);
        }
    }

    public static Raster gray(int width, int height) {
        return new Raster(width, height, 1, new byte[width * height]);
    }

    public int sample(int x, int y, int channel) {
        return data[(y * width + x) * channels + channel] & 0xFF;
    }

    public boolean sameSize(Raster other) {
        return width == other.width && height == other.height;
    }

    /** One channel as a gray raster (for example the alpha channel of an RGBA matte). */
    public Raster channel(int channel) {
        if (channel < 0 || channel >= channels) {
            throw new IllegalArgumentException("no channel " + channel + " in a " + channels + "-channel raster");
        }
        byte[] out = new byte[width * height];
        for (int i = 0, j = channel; i < out.length; i++, j += channels) {
            out[i] = data[j];
        }
        return new Raster(width, height, 1, out);
    }

    /**
     * The matte a stored matte image holds: a gray image as it is, an RGB image's first channel, an RGBA image's
     * alpha channel, or its first channel when that alpha is opaque everywhere (a matte drawn in the colours).
     */
    public Raster matte() {
        if (channels == 1) {
            return this;
        }
        if (channels == 4) {
            Raster alpha = channel(3);
            for (byte a : alpha.data) {
                if (a != (byte) 255) {
                    return alpha;
                }
            }
        }
        return channel(0);
    }

    public String size() {
        return width + "x" + height;
    }
}
