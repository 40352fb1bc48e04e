package dev.shm.runtime.image;

/** A matte as floats on 0..1, row-major: predictions and ground truth at full precision (16-bit PNGs keep it). */
public record Matte(int width, int height, float[] values) {
    public Matte {
        if (values.length != width * height) {
            throw new IllegalArgumentException("a " + width + "x" + height + " matte needs " + width * height
                    + " values, got " + values.length);
        }
    }

    public static Matte of(Raster gray) {
        float[] values = new float[gray.width() * gray.height()];
        byte[] data = gray.data();
        int channels = gray.channels();
        int channel = channels == 4 ? 3 : 0;
        for (int i = 0; i < values.length; i++) {
            values[i] = (data[i * channels + channel] & 0xFF) / 255f;
        }
        return new Matte(gray.width(), gray.height(), values);
    }

    /** Clamps every value to [0, 1] in place (alpha at inference); returns the same array. */
    public static float[] clampToUnit(float[] values) {
        for (int i = 0; i < values.length; i++) {
            values[i] = Math.min(1f, Math.max(0f, values[i]));
        }
        return values;
    }

    /** This matte with its values clamped to [0, 1] in place. */
    public Matte clamped() {
        clampToUnit(values);
        return this;
    }

    public String size() {
        return width + "x" + height;
    }

    /** The matte as an 8-bit gray raster (for pictures). */
    public Raster toRaster() {
        byte[] data = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            float level = Math.min(1f, Math.max(0f, values[i])) * 255f;
            // Math.round(level), exactly: level is in [0, 255], so adding 0.5 in double is exact and truncation floors
            data[i] = (byte) (int) (level + 0.5d);
        }
        return new Raster(width, height, 1, data);
    }
}
