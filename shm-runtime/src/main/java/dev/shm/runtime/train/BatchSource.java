package dev.shm.runtime.train;

import dev.shm.runtime.config.SampleConfig;
import dev.shm.runtime.data.Augmentation;
import dev.shm.runtime.data.DatasetLists;
import dev.shm.runtime.data.MattingSample;
import dev.shm.runtime.data.MeanStd;
import dev.shm.runtime.model.Inputs;
import dev.shm.runtime.model.Networks;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;

/**
 * How a phase makes its training batches, in a form that travels to another thread or machine: the training
 * split's files, the batch and patch, the sampling and the normalisation. Each epoch shuffles the samples with a
 * generator seeded by the seed and the epoch, and each sample's augmentation draws from a generator seeded by the
 * seed, the epoch and its position, so a batch is the same wherever and whenever it is made.
 */
public record BatchSource(List<String> images, List<String> mattes, int batchSize, int patch, SampleConfig samples,
        long seed, int ksize, MeanStd stats, Networks.Kind kind) implements Serializable {

    public BatchSource {
        images = List.copyOf(images);
        mattes = List.copyOf(mattes);
    }

    public static BatchSource of(List<DatasetLists.Entry> entries, int batchSize, int patch, SampleConfig samples,
            long seed, int ksize, MeanStd stats, Networks.Kind kind) {
        return new BatchSource(entries.stream().map(entry -> entry.image().toString()).toList(),
                entries.stream().map(entry -> entry.matte().toString()).toList(), batchSize, patch, samples, seed, ksize,
                stats, kind);
    }

    public int size() {
        return images.size();
    }

    public int stepsPerEpoch() {
        return stepsPerEpoch(size(), batchSize);
    }

    /** Batches in an epoch of {@code samples}: the last one may be smaller. */
    static int stepsPerEpoch(int samples, int batchSize) {
        return (samples + batchSize - 1) / batchSize;
    }

    /** The sample order of {@code epoch} (1-based). */
    public List<Integer> order(int epoch) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < size(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(seed * 1_000_003L + epoch));
        return order;
    }

    /** The members of each batch of {@code epoch}, in the order they are fitted. */
    public List<List<Integer>> batches(int epoch) {
        List<Integer> order = order(epoch);
        List<List<Integer>> batches = new ArrayList<>();
        for (int from = 0; from < order.size(); from += batchSize) {
            batches.add(List.copyOf(order.subList(from, Math.min(order.size(), from + batchSize))));
        }
        return batches;
    }

    /** The batch of samples {@code members} (positions in the split) as augmented in {@code epoch}. */
    public MultiDataSet batch(int epoch, List<Integer> members) {
        List<float[]> images = new ArrayList<>();
        List<float[]> trimaps = new ArrayList<>();
        List<float[]> mattes = new ArrayList<>();
        for (int index : members) {
            SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch * 0xBF58476D1CE4E5B9L + index);
            DatasetLists.Entry entry = new DatasetLists.Entry(Path.of(this.images.get(index)), Path.of(this.mattes.get(index)));
            MattingSample sample = Augmentation.apply(MattingSample.load(entry, ksize), patch, samples, random);
            float[] image = stats.clip().apply(sample.image());
            images.add(image);
            trimaps.add(Inputs.oneHot(sample.trimap()));
            mattes.add(matteLabels(Inputs.matte(sample.alpha()), image));
        }
        INDArray image = Inputs.batch(images, 3, patch, patch);
        INDArray trimap = Inputs.batch(trimaps, 3, patch, patch);
        INDArray matte = Inputs.batch(mattes, 4, patch, patch);
        return switch (kind) {
            case T_NET -> new MultiDataSet(new INDArray[] {image}, new INDArray[] {trimap});
            case M_NET -> new MultiDataSet(new INDArray[] {image, trimap}, new INDArray[] {matte});
            case END_TO_END -> new MultiDataSet(new INDArray[] {image}, new INDArray[] {trimap, matte});
        };
    }

    /** Labels of the matte head: [alpha_g, alpha_g * I] with I the normalised image. */
    static float[] matteLabels(float[] alpha, float[] image) {
        int pixels = alpha.length;
        float[] out = new float[4 * pixels];
        System.arraycopy(alpha, 0, out, 0, pixels);
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < pixels; i++) {
                out[(c + 1) * pixels + i] = alpha[i] * image[c * pixels + i];
            }
        }
        return out;
    }
}
