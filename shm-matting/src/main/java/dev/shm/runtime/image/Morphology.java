package dev.shm.runtime.image;

import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/** Erosion and dilation of gray rasters with OpenCV's elliptical structuring element, one iteration, as the references. */
public final class Morphology {
    private Morphology() {
    }

    public static Raster dilate(Raster gray, int ksize) {
        return apply(gray, ksize, true);
    }

    public static Raster erode(Raster gray, int ksize) {
        return apply(gray, ksize, false);
    }

    private static Raster apply(Raster gray, int ksize, boolean dilate) {
        if (gray.channels() != 1) {
            throw new IllegalArgumentException("morphology needs a gray raster, got " + gray.channels() + " channels");
        }
        Mat source = Codecs.toMat(gray);
        Mat kernel = Imgproc.getStructuringElement(Imgproc.MORPH_ELLIPSE, new Size(ksize, ksize));
        Mat result = new Mat();
        try {
            if (dilate) {
                Imgproc.dilate(source, result, kernel);
            } else {
                Imgproc.erode(source, result, kernel);
            }
            return Codecs.toRaster(result);
        } finally {
            source.release();
            kernel.release();
            result.release();
        }
    }
}
