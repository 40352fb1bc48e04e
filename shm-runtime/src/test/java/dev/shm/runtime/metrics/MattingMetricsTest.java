package dev.shm.runtime.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MattingMetricsTest {
    private static final int W = 12;
    private static final int H = 10;

    private static float[] blank() {
        return new float[W * H];
    }

    private static float[] box(int x0, int y0, int x1, int y1, float value, float[] into) {
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                into[y * W + x] = value;
            }
        }
        return into;
    }

    @Test
    void onePixelErrorCountsOnce() {
        float[] truth = box(2, 2, 6, 6, 1f, blank());
        float[] alpha = truth.clone();
        alpha[3 * W + 3] = 0.5f;
        assertEquals(0.0005, MattingMetrics.sad(alpha, truth, null), 1e-12);
        assertEquals(0.25 / (W * H), MattingMetrics.mse(alpha, truth, null), 1e-12);
        boolean[] onlyThatPixel = new boolean[W * H];
        onlyThatPixel[3 * W + 3] = true;
        assertEquals(0.25, MattingMetrics.mse(alpha, truth, onlyThatPixel), 1e-12);
        boolean[] elsewhere = new boolean[W * H];
        elsewhere[0] = true;
        assertEquals(0, MattingMetrics.sad(alpha, truth, elsewhere), 1e-12);
    }

    @Test
    void constantOffsetCostsSadAndMseButNoGradient() {
        float[] truth = box(3, 2, 8, 7, 0.8f, blank());
        float[] alpha = truth.clone();
        for (int i = 0; i < alpha.length; i++) {
            alpha[i] += 0.1f;
        }
        assertEquals(0.1 * W * H / 1000, MattingMetrics.sad(alpha, truth, null), 1e-6);
        assertEquals(0.01, MattingMetrics.mse(alpha, truth, null), 1e-6);
        assertEquals(0, MattingMetrics.gradient(alpha, truth, W, H, null), 1e-9, "min-max normalisation removes offsets");
    }

    @Test
    void gradientSeesAMovedStepEdgeSymmetrically() {
        float[] truth = box(0, 0, 5, H - 1, 1f, blank());
        float[] moved = box(0, 0, 6, H - 1, 1f, blank());
        double forward = MattingMetrics.gradient(moved, truth, W, H, null);
        assertTrue(forward > 0);
        assertEquals(forward, MattingMetrics.gradient(truth, moved, W, H, null), 1e-12);
        assertEquals(0, MattingMetrics.gradient(truth, truth, W, H, null), 1e-12);
    }

    @Test
    void derivativeKernelIsNineWideWithUnitNormAndOddInX() {
        double[][] k = MattingMetrics.derivativeKernel(1.4);
        assertEquals(9, k.length);
        double norm = 0;
        for (double[] row : k) {
            for (double v : row) {
                norm += v * v;
            }
        }
        assertEquals(1, norm, 1e-12);
        assertEquals(-k[4][3], k[4][5], 1e-15);
        assertEquals(0, k[4][4], 1e-15);
    }

    @Test
    void rampHasAConstantGradientInside() {
        double[] ramp = new double[W * H];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                ramp[y * W + x] = x;
            }
        }
        double[] g = MattingMetrics.gradientMagnitude(ramp, W, H);
        // away from the replicated border (4 pixels), the response to slope 1 is the kernel's first moment
        double[][] k = MattingMetrics.derivativeKernel(1.4);
        double moment = 0;
        for (int i = 0; i < 9; i++) {
            for (int j = 0; j < 9; j++) {
                moment += k[i][j] * -(j - 4);
            }
        }
        assertEquals(Math.abs(moment), g[5 * W + 5], 1e-9);
        assertEquals(g[5 * W + 5], g[4 * W + 7], 1e-9);
    }

    @Test
    void disconnectedBlobCostsConnectivityOfItsArea() {
        float[] truth = box(1, 1, 4, 4, 1f, blank());
        float[] alpha = box(8, 6, 10, 8, 1f, truth.clone());
        int blob = 3 * 3;
        assertEquals(blob / 1000.0, MattingMetrics.connectivity(alpha, truth, W, H, null), 1e-12);
        assertEquals(blob / 1000.0, MattingMetrics.sad(alpha, truth, null), 1e-12);
        assertEquals(0, MattingMetrics.connectivity(truth, truth, W, H, null), 1e-12);
    }

    @Test
    void allUnknownTrimapEqualsTheWholeImage() {
        float[] truth = box(2, 2, 7, 7, 0.7f, blank());
        float[] alpha = box(3, 1, 9, 6, 0.9f, blank());
        boolean[] all = new boolean[W * H];
        Arrays.fill(all, true);
        assertEquals(MattingMetrics.sad(alpha, truth, null), MattingMetrics.sad(alpha, truth, all), 1e-12);
        assertEquals(MattingMetrics.mse(alpha, truth, null), MattingMetrics.mse(alpha, truth, all), 1e-12);
        assertEquals(MattingMetrics.gradient(alpha, truth, W, H, null), MattingMetrics.gradient(alpha, truth, W, H, all), 1e-12);
        assertEquals(MattingMetrics.connectivity(alpha, truth, W, H, null),
                MattingMetrics.connectivity(alpha, truth, W, H, all), 1e-12);
    }

    @Test
    void largestComponentIsFourConnected() {
        boolean[] mask = new boolean[9];
        // diagonal pixels are not 4-connected: three components of one pixel, the first in column-major order wins
        mask[0] = true;
        mask[4] = true;
        mask[8] = true;
        boolean[] largest = MattingMetrics.largestComponent(mask, 3, 3);
        assertTrue(largest[0] && !largest[4] && !largest[8]);
    }
}
