package dev.shm.runtime.image;

/** Photometric changes of RGB rasters. */
public final class Colour {
    private static final double RED = 0.299;
    private static final double GREEN = 0.587;
    private static final double BLUE = 0.114;

    private Colour() {
    }

    /**
     * Saturation, then contrast, then brightness, each a factor where 1 changes nothing: every pixel moves from its
     * luma by {@code saturation}, from the image's mean luma by {@code contrast}, and is multiplied by
     * {@code brightness}; results are rounded and clamped to 0..255.
     */
    public static Raster jitter(Raster rgb, double brightness, double contrast, double saturation) {
        if (rgb.channels() != 3) {
            throw new IllegalArgumentException("colour jitter needs an RGB raster, got " + rgb.channels() + " channels");
        }
        byte[] in = rgb.data();
        int pixels = rgb.width() * rgb.height();
        double meanLuma = 0;
        for (int i = 0; i < pixels; i++) {
            meanLuma += luma(in, i * 3);
        }
        meanLuma /= pixels;
        byte[] out = new byte[in.length];
        for (int i = 0; i < pixels; i++) {
            double luma = luma(in, i * 3);
            for (int c = 0; c < 3; c++) {
                double v = luma + saturation * ((in[i * 3 + c] & 0xFF) - luma);
                v = meanLuma + contrast * (v - meanLuma);
                out[i * 3 + c] = (byte) Math.max(0, Math.min(255, Math.round(v * brightness)));
            }
        }
        return new Raster(rgb.width(), rgb.height(), 3, out);
    }

    private static double luma(byte[] rgb, int offset) {
        return RED * (rgb[offset] & 0xFF) + GREEN * (rgb[offset + 1] & 0xFF) + BLUE * (rgb[offset + 2] & 0xFF);
    }
}
