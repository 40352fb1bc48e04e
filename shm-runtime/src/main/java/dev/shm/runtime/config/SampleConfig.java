package dev.shm.runtime.config;

import java.io.Serializable;

/**
 * How a phase cuts its training samples from a photo. {@link Crop#WHOLE} shows the network the whole photo resized
 * to the patch, as evaluation and inference show it, zoomed by a factor in [{@code minScale}, {@code maxScale}]
 * around that view (edges replicated where it zooms out); {@link Crop#NATIVE} is the recipe's: the photo at its own
 * resolution scaled by [0.75, 1.25] and a random patch cut out of it. {@code jitter} scales brightness, contrast and
 * saturation by random factors in [1 - jitter, 1 + jitter]; {@code rotate} turns the sample by up to that many
 * degrees either way.
 */
public record SampleConfig(Crop crop, double minScale, double maxScale, double jitter, double rotate)
        implements Serializable {

    /** Where a training patch comes from. */
    public enum Crop {
        WHOLE,
        NATIVE
    }

    /** The recipe's sampling (docs/MODEL.md §3.3): native resolution, scale 0.75..1.25, no colour jitter, no rotation. */
    public static SampleConfig recipe() {
        return new SampleConfig(Crop.NATIVE, 0.75, 1.25, 0, 0);
    }
}
