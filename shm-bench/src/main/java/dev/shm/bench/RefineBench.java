package dev.shm.bench;

import dev.shm.runtime.data.DatasetLists;
import dev.shm.runtime.image.Codecs;
import dev.shm.runtime.image.Matte;
import dev.shm.runtime.image.Raster;
import dev.shm.runtime.matte.ModelSpec;
import dev.shm.runtime.matte.OnnxRuntimePredictor;
import dev.shm.runtime.matte.Preprocessing;
import dev.shm.runtime.matte.Refinement;
import dev.shm.runtime.metrics.MattingMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the refinement does to a model's mattes at the photos' own size: ave SAD and Gradient (shm:eval's whole-image
 * definitions) over the photos of a dataset list ({@code -Dlist=.../test.txt}) for {@code -Dmodel=FILE.onnx}, with
 * bicubic upsampling and with the guided filter at each radius and epsilon of {@code -Drefinements}. The network
 * runs once per photo; every refinement starts from its output.
 */
public final class RefineBench {
    private RefineBench() {
    }

    public static void main(String[] args) throws IOException {
        Path model = Path.of(required("model"));
        List<DatasetLists.Entry> entries = DatasetLists.read(Path.of(required("list")));
        List<Refinement> refinements = new ArrayList<>();
        for (String name : System.getProperty("refinements",
                "none,guided:1,1e-3,guided:2,1e-4,guided:2,1e-3,guided:2,1e-2,guided:4,1e-3,guided:8,1e-3")
                .split(",(?=none|guided)")) {
            refinements.add(Refinement.parse(name));
        }
        double[] sad = new double[refinements.size()];
        double[] gradient = new double[refinements.size()];
        double[] millis = new double[refinements.size()];
        try (OnnxRuntimePredictor predictor = OnnxRuntimePredictor.open(model, ModelSpec.FROM_MODEL)) {
            int size = predictor.inputSize();
            for (DatasetLists.Entry entry : entries) {
                Raster photo = Codecs.decodeRgb(Files.readAllBytes(entry.image()));
                Matte truth = Codecs.decodeMatte(Files.readAllBytes(entry.matte()));
                Raster seen = Preprocessing.seen(photo, size);
                float[] output = predictor.predict(new float[][] {predictor.normalisation().apply(seen)}, size)[0];
                for (int i = 0; i < refinements.size(); i++) {
                    long started = System.nanoTime();
                    Matte alpha = refinements.get(i).apply(new Matte(size, size, output.clone()), seen, photo);
                    millis[i] += (System.nanoTime() - started) / 1e6;
                    sad[i] += MattingMetrics.sad(alpha.values(), truth.values(), null);
                    gradient[i] += MattingMetrics.gradient(alpha.values(), truth.values(), alpha.width(),
                            alpha.height(), null);
                }
            }
        }
        int n = entries.size();
        System.out.printf(Locale.ROOT, "%d photos of %s, model %s%n", n, required("list"), model.getFileName());
        System.out.printf(Locale.ROOT, "%-22s %10s %10s %14s%n", "refinement", "ave SAD", "ave Grad", "ms per photo");
        for (int i = 0; i < refinements.size(); i++) {
            System.out.printf(Locale.ROOT, "%-22s %10.3f %10.3f %14.2f%n", refinements.get(i).describe(), sad[i] / n,
                    gradient[i] / n, millis[i] / n);
        }
    }

    private static String required(String key) {
        String value = System.getProperty(key);
        if (value == null) {
            throw new IllegalArgumentException("set -D" + key);
        }
        return value;
    }
}
