package dev.shm.runtime.model.checkpoint;

/**
 * What a checkpoint carries besides the weights and the optimiser state: which phase and graph, how far training
 * got, the hash of everything the phase depends on (configuration, data, starting weights, shm version) and the
 * best eval SAD so far, and the mean/std the inputs were normalised with. Data order and augmentation are drawn from the seed and the epoch, so the epoch is the
 * whole random state.
 */
public record CheckpointState(
        String phase,
        String kind,
        int epoch,
        long step,
        String phaseHash,
        double bestSad,
        int bestEpoch,
        int patchSize,
        double[] meanClip,
        double[] stdClip,
        String shmVersion) {

    /** The normalisation the network was trained with; inference must use the same. */
    public dev.shm.runtime.data.MeanStd normalisation() {
        return new dev.shm.runtime.data.MeanStd(0, meanClip, stdClip, null, null);
    }
}
