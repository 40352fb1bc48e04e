package dev.shm.bench;

import dev.shm.runtime.data.MeanStd;
import dev.shm.runtime.matte.OnnxRuntimePredictor;
import dev.shm.runtime.model.Networks;
import dev.shm.runtime.model.onnx.OnnxExporter;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Inference of the whole network at 320x320: ONNX Runtime on the exported model at batch 1 and batch 8 against the
 * DL4J forward pass, in one run, with this machine's float32 GEMM rate measured in the same run to give the compute
 * floor (5.69 G multiply-adds per image).
 */
public final class InferBench {
    private static final double MULTIPLY_ADDS = 5.69e9;
    /** The JIT needs about ten passes over DL4J's graph code before the forward pass settles. */
    private static final int DL4J_WARM_UP = 10;

    private InferBench() {
    }

    public static void main(String[] args) {
        int size = Integer.getInteger("size", 320);
        MeanStd stats = new MeanStd(0, new double[] {0.5, 0.5, 0.5}, new double[] {0.25, 0.25, 0.25}, null, null);
        ComputationGraph graph = Networks.build(Networks.Kind.END_TO_END, size, 9527, 1e-4);
        double gflops = gemmGflops();
        double floorMs = MULTIPLY_ADDS * 2 / (gflops * 1e9) * 1e3 * ((double) size * size / (320.0 * 320.0));
        System.out.printf(Locale.ROOT, "float32 GEMM (2048^3, ND4J, all cores): %.1f GFLOP/s; compute floor at %d^2: %.1f ms%n",
                gflops, size, floorMs);

        double ort1 = onnx(graph, stats, size, 1, 15);
        System.out.printf(Locale.ROOT, "ONNX Runtime batch 1: %.1f ms median per image (%.2fx the floor)%n", ort1, ort1 / floorMs);
        double ort8 = onnx(graph, stats, size, 8, 5);
        System.out.printf(Locale.ROOT, "ONNX Runtime batch 8: %.1f ms per image, %.1f images/s%n", ort8, 1000 / ort8);
        double[] dl4j = dl4j(graph, size, 10);
        System.out.printf(Locale.ROOT, "DL4J forward batch 1: %.1f ms median per image after %d warm-up runs (ONNX Runtime "
                + "is %.1fx faster); the first pass in this JVM took %.1f ms%n", dl4j[1], DL4J_WARM_UP, dl4j[1] / ort1,
                dl4j[0]);
        System.out.printf(Locale.ROOT, "seed's Ascend 310 figure: 102.869 ms per image%n");
    }

    private static double gemmGflops() {
        INDArray a = Nd4j.rand(DataType.FLOAT, 2048, 2048);
        INDArray b = Nd4j.rand(DataType.FLOAT, 2048, 2048);
        a.mmul(b);
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            long start = System.nanoTime();
            a.mmul(b);
            best = Math.min(best, (System.nanoTime() - start) / 1e9);
        }
        return 2.0 * 2048 * 2048 * 2048 / best / 1e9;
    }

    private static double onnx(ComputationGraph graph, MeanStd stats, int size, int batch, int runs) {
        byte[] model = OnnxExporter.export(graph, batch, size, 11, stats.clip());
        try (OnnxRuntimePredictor predictor = OnnxRuntimePredictor.open(model, "bench")) {
            float[] input = new float[batch * 3 * size * size];
            Random random = new Random(1);
            for (int i = 0; i < input.length; i++) {
                input[i] = (float) random.nextGaussian();
            }
            predictor.run(input, size);
            double[] times = new double[runs];
            for (int i = 0; i < runs; i++) {
                long start = System.nanoTime();
                predictor.run(input, size);
                times[i] = (System.nanoTime() - start) / 1e6 / batch;
            }
            Arrays.sort(times);
            return times[runs / 2];
        }
    }

    /** The first pass in this JVM and the median of {@code runs} after {@link #DL4J_WARM_UP} more, in ms. */
    private static double[] dl4j(ComputationGraph graph, int size, int runs) {
        INDArray image = Nd4j.rand(DataType.FLOAT, 1, 3, size, size);
        long coldStart = System.nanoTime();
        graph.output(false, image);
        double first = (System.nanoTime() - coldStart) / 1e6;
        for (int i = 0; i < DL4J_WARM_UP; i++) {
            graph.output(false, image);
        }
        double[] times = new double[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            graph.output(false, image);
            times[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(times);
        return new double[] {first, times[runs / 2]};
    }
}
