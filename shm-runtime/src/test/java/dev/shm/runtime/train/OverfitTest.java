package dev.shm.runtime.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shm.runtime.data.MeanStd;
import dev.shm.runtime.data.Trimaps;
import dev.shm.runtime.image.Matte;
import dev.shm.runtime.image.Raster;
import dev.shm.runtime.metrics.MattingMetrics;
import dev.shm.runtime.model.Inputs;
import dev.shm.runtime.model.Networks;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The whole network, trained end to end on four tiny images for 60 Adam steps (about 20 s here), must fit them: its alpha at inference (batch-norm
 * running statistics, clamped) must get their SAD far below what a constant achieves. A network that still predicts
 * one value everywhere after this has a wiring defect (class order, normalisation, loss, fusion), not too little
 * training.
 */
class OverfitTest {
    private static final int SIZE = 32;
    private static final int IMAGES = 4;

    @Test
    void theWholeNetworkFitsAHandfulOfTinyImages() {
        double[] half = {0.5, 0.5, 0.5};
        double[] quarter = {0.25, 0.25, 0.25};
        MeanStd stats = new MeanStd(IMAGES, half, quarter, half, quarter);
        List<float[]> images = new ArrayList<>();
        List<float[]> trimaps = new ArrayList<>();
        List<float[]> mattes = new ArrayList<>();
        List<float[]> truths = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < IMAGES; i++) {
            Raster alpha = ellipse(8 + 4 * i, 10 + 3 * i, 7 + i, 10 - i);
            float[] image = stats.clip().apply(photo(alpha, random));
            images.add(image);
            trimaps.add(Inputs.oneHot(Trimaps.fromMatte(alpha, 3)));
            float[] truth = Inputs.matte(alpha);
            truths.add(truth);
            mattes.add(BatchSource.matteLabels(truth, image));
        }
        MultiDataSet batch = new MultiDataSet(new INDArray[] {Inputs.batch(images, 3, SIZE, SIZE)},
                new INDArray[] {Inputs.batch(trimaps, 3, SIZE, SIZE), Inputs.batch(mattes, 4, SIZE, SIZE)});
        ComputationGraph graph = Networks.build(Networks.Kind.END_TO_END, SIZE, 9527, 3e-3);

        double before = sad(graph, batch, truths);
        for (int step = 0; step < 60; step++) {
            graph.fit(batch);
        }
        double after = sad(graph, batch, truths);

        double constant = 0;
        for (float[] truth : truths) {
            constant += Math.min(MattingMetrics.sad(new float[truth.length], truth, null),
                    MattingMetrics.sad(filled(truth.length), truth, null));
        }
        constant /= IMAGES;
        assertTrue(after < 0.1 * constant, String.format("training SAD %.4f (before %.4f) must fall below a tenth of the "
                + "better constant's %.4f", after, before, constant));
    }

    private static double sad(ComputationGraph graph, MultiDataSet batch, List<float[]> truths) {
        INDArray alpha = graph.feedForward(batch.getFeatures(), false).get(Networks.ALPHA);
        double total = 0;
        for (int i = 0; i < IMAGES; i++) {
            float[] predicted = Matte.clampToUnit(alpha.get(NDArrayIndex.point(i)).dup().data().asFloat());
            total += MattingMetrics.sad(predicted, truths.get(i), null);
        }
        return total / IMAGES;
    }

    /** A soft-edged ellipse: 255 inside, falling to 0 over about two pixels. */
    private static Raster ellipse(double cx, double cy, double rx, double ry) {
        byte[] data = new byte[SIZE * SIZE];
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                double d = Math.sqrt(Math.pow((x - cx) / rx, 2) + Math.pow((y - cy) / ry, 2));
                double a = Math.max(0, Math.min(1, (1.1 - d) / 0.2));
                data[y * SIZE + x] = (byte) Math.round(a * 255);
            }
        }
        return new Raster(SIZE, SIZE, 1, data);
    }

    /** A warm foreground over a noisy blue-green background, blended by the matte. */
    private static Raster photo(Raster alpha, SplittableRandom random) {
        byte[] rgb = new byte[SIZE * SIZE * 3];
        for (int i = 0; i < SIZE * SIZE; i++) {
            double a = (alpha.data()[i] & 0xFF) / 255.0;
            int[] foreground = {220, 170, 140};
            int[] background = {40 + random.nextInt(60), 90 + random.nextInt(60), 120 + random.nextInt(60)};
            for (int c = 0; c < 3; c++) {
                rgb[i * 3 + c] = (byte) Math.round(a * foreground[c] + (1 - a) * background[c]);
            }
        }
        return new Raster(SIZE, SIZE, 3, rgb);
    }

    private static float[] filled(int length) {
        float[] ones = new float[length];
        java.util.Arrays.fill(ones, 1f);
        return ones;
    }
}
