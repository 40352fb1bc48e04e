package dev.shm.runtime.data;

import dev.shm.runtime.image.Raster;
import dev.shm.runtime.image.Resize;
import dev.shm.runtime.image.Resize.Interpolation;
import java.util.SplittableRandom;

/**
 * Training augmentation (SHM-SPEC §3.3): a random scale in [0.75, 1.25], a random {@code patch} x {@code patch}
 * crop when the scaled image is large enough and a resize to the patch otherwise, and a horizontal flip with
 * probability 1/2. Vertical flips, a defect of the references for portraits, are not done.
 */
public final class Augmentation {
    public static final double MIN_SCALE = 0.75;
    public static final double MAX_SCALE = 1.25;

    private Augmentation() {
    }

    public static MattingSample apply(MattingSample sample, int patch, SplittableRandom random) {
        double scale = MIN_SCALE + (MAX_SCALE - MIN_SCALE) * random.nextDouble();
        int width = Math.max(1, (int) Math.round(sample.image().width() * scale));
        int height = Math.max(1, (int) Math.round(sample.image().height() * scale));
        Raster image = Resize.to(sample.image(), width, height, Interpolation.LINEAR);
        Raster alpha = Resize.to(sample.alpha(), width, height, Interpolation.LINEAR);
        Raster trimap = Resize.to(sample.trimap(), width, height, Interpolation.NEAREST);
        if (width >= patch && height >= patch) {
            int x = random.nextInt(width - patch + 1);
            int y = random.nextInt(height - patch + 1);
            image = Resize.crop(image, x, y, patch, patch);
            alpha = Resize.crop(alpha, x, y, patch, patch);
            trimap = Resize.crop(trimap, x, y, patch, patch);
        } else {
            image = Resize.to(image, patch, patch, Interpolation.LINEAR);
            alpha = Resize.to(alpha, patch, patch, Interpolation.LINEAR);
            trimap = Resize.to(trimap, patch, patch, Interpolation.NEAREST);
        }
        if (random.nextBoolean()) {
            image = Resize.mirror(image);
            alpha = Resize.mirror(alpha);
            trimap = Resize.mirror(trimap);
        }
        return new MattingSample(sample.name(), image, alpha, trimap);
    }

    /** Evaluation input: the whole image resized to {@code size} x {@code size}, no randomness. */
    public static MattingSample resize(MattingSample sample, int size) {
        return new MattingSample(sample.name(),
                Resize.to(sample.image(), size, size, Interpolation.CUBIC),
                Resize.to(sample.alpha(), size, size, Interpolation.CUBIC),
                Resize.to(sample.trimap(), size, size, Interpolation.NEAREST));
    }
}
