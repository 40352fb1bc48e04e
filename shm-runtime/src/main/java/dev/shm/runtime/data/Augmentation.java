package dev.shm.runtime.data;

import dev.shm.runtime.config.SampleConfig;
import dev.shm.runtime.image.Colour;
import dev.shm.runtime.image.Raster;
import dev.shm.runtime.image.Resize;
import dev.shm.runtime.image.Resize.Interpolation;
import java.util.SplittableRandom;

/**
 * Training augmentation ({@link SampleConfig}). {@code whole}: the photo resized to (patch x scale) squared, as
 * evaluation resizes it to the patch, and a random patch-sized window of that, which zooms in when the scale is
 * above 1 and out (edges repeated) below it. {@code native} (docs/MODEL.md §3.3, the recipe's): the photo scaled by
 * [min_scale, max_scale] of its own size, a random patch crop when it is large enough and a resize to the patch
 * otherwise. Both then mirror with probability 1/2 (vertical flips, a defect of the references for portraits, are
 * not done), rotate and jitter colour when configured.
 */
public final class Augmentation {

    private Augmentation() {
    }

    public static MattingSample apply(MattingSample sample, int patch, SampleConfig config, SplittableRandom random) {
        double scale = config.minScale() + (config.maxScale() - config.minScale()) * random.nextDouble();
        MattingSample cut = config.crop() == SampleConfig.Crop.WHOLE
                ? zoomWhole(sample, patch, scale, random) : cropNative(sample, patch, scale, random);
        Raster image = cut.image();
        Raster alpha = cut.alpha();
        Raster trimap = cut.trimap();
        if (random.nextBoolean()) {
            image = Resize.mirror(image);
            alpha = Resize.mirror(alpha);
            trimap = Resize.mirror(trimap);
        }
        if (config.rotate() > 0) {
            double degrees = config.rotate() * (2 * random.nextDouble() - 1);
            image = Resize.rotate(image, degrees, Interpolation.LINEAR);
            alpha = Resize.rotate(alpha, degrees, Interpolation.LINEAR);
            trimap = Resize.rotate(trimap, degrees, Interpolation.NEAREST);
        }
        if (config.jitter() > 0) {
            image = Colour.jitter(image, factor(config.jitter(), random), factor(config.jitter(), random),
                    factor(config.jitter(), random));
        }
        return new MattingSample(sample.name(), image, alpha, trimap);
    }

    private static double factor(double jitter, SplittableRandom random) {
        return 1 + jitter * (2 * random.nextDouble() - 1);
    }

    private static MattingSample zoomWhole(MattingSample sample, int patch, double scale, SplittableRandom random) {
        int side = Math.max(1, (int) Math.round(patch * scale));
        int x = offset(side, patch, random);
        int y = offset(side, patch, random);
        return new MattingSample(sample.name(),
                Resize.window(Resize.to(sample.image(), side, side, Interpolation.CUBIC), x, y, patch, patch),
                Resize.window(Resize.to(sample.alpha(), side, side, Interpolation.CUBIC), x, y, patch, patch),
                Resize.window(Resize.to(sample.trimap(), side, side, Interpolation.NEAREST), x, y, patch, patch));
    }

    /** Where a patch-sized window starts on an axis of {@code side} pixels: inside it, or around it when smaller. */
    static int offset(int side, int patch, SplittableRandom random) {
        return side >= patch ? random.nextInt(side - patch + 1) : -random.nextInt(patch - side + 1);
    }

    private static MattingSample cropNative(MattingSample sample, int patch, double scale, SplittableRandom random) {
        int width = Math.max(1, (int) Math.round(sample.image().width() * scale));
        int height = Math.max(1, (int) Math.round(sample.image().height() * scale));
        Raster image = Resize.to(sample.image(), width, height, Interpolation.LINEAR);
        Raster alpha = Resize.to(sample.alpha(), width, height, Interpolation.LINEAR);
        Raster trimap = Resize.to(sample.trimap(), width, height, Interpolation.NEAREST);
        if (width >= patch && height >= patch) {
            int x = random.nextInt(width - patch + 1);
            int y = random.nextInt(height - patch + 1);
            return new MattingSample(sample.name(), Resize.crop(image, x, y, patch, patch),
                    Resize.crop(alpha, x, y, patch, patch), Resize.crop(trimap, x, y, patch, patch));
        }
        return new MattingSample(sample.name(), Resize.to(image, patch, patch, Interpolation.LINEAR),
                Resize.to(alpha, patch, patch, Interpolation.LINEAR), Resize.to(trimap, patch, patch, Interpolation.NEAREST));
    }

    /** Evaluation input: the whole image resized to {@code size} x {@code size}, no randomness. */
    public static MattingSample resize(MattingSample sample, int size) {
        return new MattingSample(sample.name(),
                Resize.to(sample.image(), size, size, Interpolation.CUBIC),
                Resize.to(sample.alpha(), size, size, Interpolation.CUBIC),
                Resize.to(sample.trimap(), size, size, Interpolation.NEAREST));
    }
}
