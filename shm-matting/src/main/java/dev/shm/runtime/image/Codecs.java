package dev.shm.runtime.image;

import java.nio.charset.StandardCharsets;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/** JPEG and PNG through OpenCV's codecs, with OpenCV's BGR(A) order turned into RGB(A) at this seam. */
public final class Codecs {
    private Codecs() {
    }

    /** Decodes any image as stored (gray, RGB or RGBA; 16-bit scaled to 8-bit); {@code null} when it cannot be decoded. */
    public static Raster decode(byte[] encoded) {
        OpenCvLoader.load();
        Mat mat = Imgcodecs.imdecode(new MatOfByte(encoded), Imgcodecs.IMREAD_UNCHANGED);
        try {
            if (mat.empty()) {
                return null;
            }
            return toRaster(mat);
        } finally {
            mat.release();
        }
    }

    /** Decodes an image as 3-channel RGB whatever it is stored as; {@code null} when it cannot be decoded. */
    public static Raster decodeRgb(byte[] encoded) {
        OpenCvLoader.load();
        Mat mat = Imgcodecs.imdecode(new MatOfByte(encoded), Imgcodecs.IMREAD_COLOR);
        try {
            return mat.empty() ? null : toRaster(mat);
        } finally {
            mat.release();
        }
    }

    /**
     * Decodes a matte PNG at full precision: 8- or 16-bit gray, or the alpha channel of RGBA (the first channel of
     * RGB); {@code null} when it cannot be decoded.
     */
    public static Matte decodeMatte(byte[] encoded) {
        OpenCvLoader.load();
        Mat mat = Imgcodecs.imdecode(new MatOfByte(encoded), Imgcodecs.IMREAD_UNCHANGED);
        Mat gray = new Mat();
        try {
            if (mat.empty()) {
                return null;
            }
            int channels = mat.channels();
            if (channels == 1) {
                mat.copyTo(gray);
            } else {
                org.opencv.core.Core.extractChannel(mat, gray, channels == 4 ? 3 : 2);
            }
            double scale = gray.depth() == org.opencv.core.CvType.CV_16U ? 1.0 / 65535 : 1.0 / 255;
            Mat floats = new Mat();
            gray.convertTo(floats, org.opencv.core.CvType.CV_32F, scale);
            float[] values = new float[(int) floats.total()];
            floats.get(0, 0, values);
            floats.release();
            return new Matte(mat.cols(), mat.rows(), values);
        } finally {
            mat.release();
            gray.release();
        }
    }

    /** A matte as a 16-bit gray PNG, values clamped to 0..1. */
    public static byte[] encodePng16(Matte matte) {
        OpenCvLoader.load();
        short[] samples = new short[matte.values().length];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = (short) Math.round(Math.min(1f, Math.max(0f, matte.values()[i])) * 65535f);
        }
        Mat mat = new Mat(matte.height(), matte.width(), org.opencv.core.CvType.CV_16UC1);
        mat.put(0, 0, samples);
        MatOfByte out = new MatOfByte();
        try {
            if (!Imgcodecs.imencode(".png", mat, out)) {
                throw new IllegalStateException("OpenCV could not encode a 16-bit matte");
            }
            return out.toArray();
        } finally {
            mat.release();
            out.release();
        }
    }

    public static byte[] encodePng(Raster raster) {
        return encode(".png", raster, Imgcodecs.IMWRITE_PNG_COMPRESSION, 3);
    }

    public static byte[] encodeJpeg(Raster raster, int quality) {
        return encode(".jpg", raster, Imgcodecs.IMWRITE_JPEG_QUALITY, quality);
    }

    /**
     * Whether the bytes end like a whole JPEG (an end-of-image marker near the end) or a whole PNG (an IEND chunk).
     * OpenCV decodes a truncated JPEG without error and fills the missing rows with grey, so this check is ours.
     */
    public static boolean isComplete(byte[] encoded) {
        if (encoded.length > 3 && (encoded[0] & 0xFF) == 0xFF && (encoded[1] & 0xFF) == 0xD8) {
            for (int i = encoded.length - 2; i >= Math.max(2, encoded.length - 1024); i--) {
                if ((encoded[i] & 0xFF) == 0xFF && (encoded[i + 1] & 0xFF) == 0xD9) {
                    return true;
                }
            }
            return false;
        }
        if (encoded.length > 8 && (encoded[0] & 0xFF) == 0x89 && encoded[1] == 'P' && encoded[2] == 'N' && encoded[3] == 'G') {
            String tail = new String(encoded, Math.max(0, encoded.length - 12), Math.min(12, encoded.length),
                    StandardCharsets.ISO_8859_1);
            return tail.contains("IEND");
        }
        return true;
    }

    static Raster toRaster(Mat source) {
        Mat mat = source;
        if (mat.depth() == org.opencv.core.CvType.CV_16U) {
            Mat eight = new Mat();
            mat.convertTo(eight, org.opencv.core.CvType.CV_8U, 255.0 / 65535.0);
            mat = eight;
        } else if (mat.depth() != org.opencv.core.CvType.CV_8U) {
            throw new IllegalArgumentException("unsupported sample depth " + mat.depth() + "; expected 8 or 16 bits");
        }
        int channels = mat.channels();
        Mat ordered = mat;
        if (channels == 3) {
            ordered = new Mat();
            Imgproc.cvtColor(mat, ordered, Imgproc.COLOR_BGR2RGB);
        } else if (channels == 4) {
            ordered = new Mat();
            Imgproc.cvtColor(mat, ordered, Imgproc.COLOR_BGRA2RGBA);
        }
        byte[] data = new byte[(int) (ordered.total() * channels)];
        ordered.get(0, 0, data);
        if (ordered != mat) {
            ordered.release();
        }
        if (mat != source) {
            mat.release();
        }
        return new Raster(source.cols(), source.rows(), channels, data);
    }

    static Mat toMat(Raster raster) {
        OpenCvLoader.load();
        int type = org.opencv.core.CvType.CV_8UC(raster.channels());
        Mat mat = new Mat(raster.height(), raster.width(), type);
        mat.put(0, 0, raster.data());
        if (raster.channels() == 3) {
            Imgproc.cvtColor(mat, mat, Imgproc.COLOR_RGB2BGR);
        } else if (raster.channels() == 4) {
            Imgproc.cvtColor(mat, mat, Imgproc.COLOR_RGBA2BGRA);
        }
        return mat;
    }

    private static byte[] encode(String extension, Raster raster, int... flags) {
        Mat mat = toMat(raster);
        MatOfInt params = new MatOfInt(flags);
        MatOfByte out = new MatOfByte();
        try {
            if (!Imgcodecs.imencode(extension, mat, out, params)) {
                throw new IllegalStateException("OpenCV could not encode a " + raster.size() + " image as " + extension);
            }
            return out.toArray();
        } finally {
            mat.release();
            params.release();
            out.release();
        }
    }
}
