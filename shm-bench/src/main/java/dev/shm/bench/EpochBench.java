package dev.shm.bench;

import dev.shm.runtime.config.ConfigLoader;
import dev.shm.runtime.config.Phase;
import dev.shm.runtime.config.ShmConfig;
import dev.shm.runtime.io.AtomicFiles;
import dev.shm.runtime.progress.Progress;
import dev.shm.runtime.progress.ProgressEvent;
import dev.shm.runtime.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Whole epochs of shm:train's own code path, as a user's run takes them: generate-data on {@code images} portraits
 * (eg1800 with {@code -Dshm.sharedData}, else synthetic 448x448), then T-Net and end-to-end training at
 * {@code patch} (320), batch 8, {@code epochs} (2) each, data loaded by {@code nThreads} (2) threads beside the
 * steps. Prints every epoch's breakdown: the steps and their images/s, the wait for data, the batch-norm
 * statistics, eval, and checkpoints and logs; and at the end this JVM's peak resident memory.
 */
public final class EpochBench {
    private EpochBench() {
    }

    public static void main(String[] args) throws IOException {
        int images = Integer.getInteger("images", 60);
        int patch = Integer.getInteger("patch", 320);
        int epochs = Integer.getInteger("epochs", 2);
        Path work = Files.createTempDirectory("shm-bench-epoch");
        try {
            Path source = Portraits.source(images, work, 448, 448);
            Map<String, String> overrides = Portraits.dataOverrides(source, work);
            Path dataset = Portraits.dataset(source, work);
            overrides.putAll(Portraits.trainingOverrides(patch, System.getProperty("nThreads", "2"), epochs, epochs));
            ShmConfig config = new ConfigLoader(work, work).load(null, overrides);
            System.out.printf(Locale.ROOT, "shm:train's epochs on %d %s portraits, patch %d, batch 8, %d epochs a phase%n",
                    images, Portraits.describe(source), patch, epochs);
            Progress progress = new Progress("bench", List.of(EpochBench::print));
            new Trainer(progress).run(new Trainer.Request(config, dataset, work.resolve("train"),
                    List.of(Phase.PRE_TRAIN_T_NET, Phase.END_TO_END), true));
            System.out.println("  peak resident memory of this JVM: " + PeakMemory.describe());
        } finally {
            AtomicFiles.deleteRecursively(work);
        }
    }

    private static void print(ProgressEvent event) {
        if (event.kind().equals("info") && event.message().contains(": epoch ")) {
            System.out.println("  " + event.message());
            System.out.flush();
        }
    }
}
