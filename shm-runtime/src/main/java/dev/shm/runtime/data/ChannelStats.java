package dev.shm.runtime.data;

import dev.shm.runtime.image.Raster;

/**
 * Exact per-channel sums of 8-bit samples and of their squares. Integer sums make the mean and standard deviation
 * independent of the order in which images are added, so a parallel run matches a sequential one bit for bit.
 */
public final class ChannelStats {
    private final long[] sum;
    private final long[] sumOfSquares;
    private long pixels;

    public ChannelStats(int channels) {
        sum = new long[channels];
        sumOfSquares = new long[channels];
    }

    public static ChannelStats of(Raster raster) {
        ChannelStats stats = new ChannelStats(raster.channels());
        stats.add(raster);
        return stats;
    }

    public void add(Raster raster) {
        if (raster.channels() != sum.length) {
            throw new IllegalArgumentException("expected " + sum.length + " channels, got " + raster.channels());
        }
        int channels = sum.length;
        byte[] data = raster.data();
        for (int c = 0; c < channels; c++) {
            long s = 0;
            long sq = 0;
            for (int i = c; i < data.length; i += channels) {
                int v = data[i] & 0xFF;
                s += v;
                sq += v * v;
            }
            sum[c] += s;
            sumOfSquares[c] += sq;
        }
        pixels += (long) raster.width() * raster.height();
    }

    public void add(ChannelStats other) {
        for (int c = 0; c < sum.length; c++) {
            sum[c] += other.sum[c];
            sumOfSquares[c] += other.sumOfSquares[c];
        }
        pixels += other.pixels;
    }

    public long pixels() {
        return pixels;
    }

    /** Mean of each channel on the 0..1 scale. */
    public double[] mean() {
        double[] mean = new double[sum.length];
        for (int c = 0; c < sum.length; c++) {
            mean[c] = pixels == 0 ? 0 : sum[c] / (255.0 * pixels);
        }
        return mean;
    }

    /** Population standard deviation of each channel on the 0..1 scale. */
    public double[] std() {
        double[] std = new double[sum.length];
        for (int c = 0; c < sum.length; c++) {
            if (pixels == 0) {
                continue;
            }
            double mean = (double) sum[c] / pixels;
            double variance = (double) sumOfSquares[c] / pixels - mean * mean;
            std[c] = Math.sqrt(Math.max(0, variance)) / 255.0;
        }
        return std;
    }
}
