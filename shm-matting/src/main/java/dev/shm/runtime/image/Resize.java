package dev.shm.runtime.image;

import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/** Resizing, cropping, rotating and mirroring of rasters. */
public final class Resize {
    /** How new pixels are computed: nearest for label maps, linear or cubic for images and mattes. */
    public enum Interpolation {
        NEAREST(Imgproc.INTER_NEAREST),
        LINEAR(Imgproc.INTER_LINEAR),
        CUBIC(Imgproc.INTER_CUBIC);

        private final int flag;

        Interpolation(int flag) {
            this.flag = flag;
        }
    }

    private Resize() {
    }

    public static Raster to(Raster raster, int width, int height, Interpolation interpolation) {
        if (raster.width() == width && raster.height() == height) {
            return raster;
        }
        Mat source = Codecs.toMat(raster);
        Mat result = new Mat();
        try {
            Imgproc.resize(source, result, new Size(width, height), 0, 0, interpolation.flag);
            return Codecs.toRaster(result);
        } finally {
            source.release();
            result.release();
        }
    }

    /** Resizes a float matte (bicubic for the seed's protocol); values are not clamped. */
    public static Matte to(Matte matte, int width, int height, Interpolation interpolation) {
        if (matte.width() == width && matte.height() == height) {
            return matte;
        }
        OpenCvLoader.load();
        Mat source = new Mat(matte.height(), matte.width(), org.opencv.core.CvType.CV_32FC1);
        source.put(0, 0, matte.values());
        Mat result = new Mat();
        try {
            Imgproc.resize(source, result, new Size(width, height), 0, 0, interpolation.flag);
            float[] values = new float[width * height];
            result.get(0, 0, values);
            return new Matte(width, height, values);
        } finally {
            source.release();
            result.release();
        }
    }

    public static Raster crop(Raster raster, int x, int y, int width, int height) {
        if (x < 0 || y < 0 || x + width > raster.width() || y + height > raster.height()) {
            throw new IllegalArgumentException("crop " + width + "x" + height + "+" + x + "+" + y + " outside a "
                    + raster.size() + " raster");
        }
        int channels = raster.channels();
        byte[] out = new byte[width * height * channels];
        for (int row = 0; row < height; row++) {
            System.arraycopy(raster.data(), ((y + row) * raster.width() + x) * channels, out, row * width * channels,
                    width * channels);
        }
        return new Raster(width, height, channels, out);
    }

    /**
     * The {@code width} x {@code height} window whose top-left corner is at ({@code x}, {@code y}); parts of it outside
     * the raster repeat the nearest edge pixel, so a window larger than the raster zooms out without a frame.
     */
    public static Raster window(Raster raster, int x, int y, int width, int height) {
        int channels = raster.channels();
        byte[] out = new byte[width * height * channels];
        for (int row = 0; row < height; row++) {
            int sourceRow = Math.min(raster.height() - 1, Math.max(0, y + row)) * raster.width();
            for (int column = 0; column < width; column++) {
                int sourceColumn = Math.min(raster.width() - 1, Math.max(0, x + column));
                System.arraycopy(raster.data(), (sourceRow + sourceColumn) * channels, out, (row * width + column) * channels,
                        channels);
            }
        }
        return new Raster(width, height, channels, out);
    }

    /** Turns the raster by {@code degrees} (counter-clockwise) about its centre, repeating edge pixels into the corners. */
    public static Raster rotate(Raster raster, double degrees, Interpolation interpolation) {
        if (degrees == 0) {
            return raster;
        }
        Mat source = Codecs.toMat(raster);
        Mat result = new Mat();
        Mat rotation = Imgproc.getRotationMatrix2D(new Point((raster.width() - 1) / 2.0,
                (raster.height() - 1) / 2.0), degrees, 1);
        try {
            Imgproc.warpAffine(source, result, rotation, new Size(raster.width(), raster.height()), interpolation.flag,
                    Core.BORDER_REPLICATE);
            return Codecs.toRaster(result);
        } finally {
            source.release();
            result.release();
            rotation.release();
        }
    }

    public static Raster mirror(Raster raster) {
        int channels = raster.channels();
        int width = raster.width();
        byte[] in = raster.data();
        byte[] out = new byte[in.length];
        for (int y = 0; y < raster.height(); y++) {
            int row = y * width * channels;
            for (int x = 0; x < width; x++) {
                System.arraycopy(in, row + x * channels, out, row + (width - 1 - x) * channels, channels);
            }
        }
        return new Raster(width, raster.height(), channels, out);
    }
}
