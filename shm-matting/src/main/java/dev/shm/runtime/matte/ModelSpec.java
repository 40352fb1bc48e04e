package dev.shm.runtime.matte;

import java.util.ArrayList;
import java.util.List;

/**
 * What running an ONNX matting model takes beyond the file: the side of the square input, the input's
 * normalisation and which output is the alpha. shm's own exports carry all three (static input shape, metadata,
 * an output named {@value #ALPHA}); for a model from elsewhere the user gives what it lacks. Zero or {@code null}
 * means "read it from the model".
 *
 * @param size the input's side in pixels, or 0 for the model's static input shape
 * @param normalisation the input's normalisation, or {@code null} for the model's metadata
 * @param alphaOutput the alpha output's name or zero-based index, or {@code null} for {@value #ALPHA} or the only output
 */
public record ModelSpec(int size, Normalisation normalisation, String alphaOutput) {
    /** The input shm's exports take: normalised RGB, NCHW. */
    public static final String INPUT = "input";
    public static final String ALPHA = "alpha";
    /** Metadata with the RGB mean and std (0..1) the input must be normalised with, comma-separated. */
    public static final String MEAN_KEY = "shm.mean_clip";
    public static final String STD_KEY = "shm.std_clip";
    /** Everything read from the model, as shm's exports need. */
    public static final ModelSpec FROM_MODEL = new ModelSpec(0, null, null);

    public ModelSpec {
        if (size < 0) {
            throw new IllegalArgumentException("the model's input size must be positive, got " + size);
        }
        if (alphaOutput != null && alphaOutput.isBlank()) {
            alphaOutput = null;
        }
    }

    /**
     * The spec a user gives as text, each part optional ({@code null} or blank): the side, the mean and std as
     * {@code R,G,B} on 0..1 (both or neither), the alpha output's name or index.
     */
    public static ModelSpec parse(Integer side, String mean, String std, String alphaOutput) {
        boolean hasMean = mean != null && !mean.isBlank();
        boolean hasStd = std != null && !std.isBlank();
        if (hasMean != hasStd) {
            throw new IllegalArgumentException("give the model's mean and std together (R,G,B on 0..1 each), got "
                    + (hasMean ? "a mean without a std" : "a std without a mean"));
        }
        Normalisation normalisation = hasMean ? new Normalisation(Normalisation.parseTriple(mean, "the mean"),
                Normalisation.parseTriple(std, "the std")) : null;
        return new ModelSpec(side == null ? 0 : side, normalisation, alphaOutput);
    }

    public ModelSpec withSize(int side) {
        return new ModelSpec(side, normalisation, alphaOutput);
    }

    public ModelSpec withNormalisation(Normalisation given) {
        return new ModelSpec(size, given, alphaOutput);
    }

    public ModelSpec withAlphaOutput(String nameOrIndex) {
        return new ModelSpec(size, normalisation, nameOrIndex);
    }

    /** What is given, comma-separated, or "" when everything is read from the model: for logs and fingerprints. */
    public String describe() {
        List<String> given = new ArrayList<>();
        if (size > 0) {
            given.add("size " + size);
        }
        if (normalisation != null) {
            given.add("mean " + Normalisation.join(normalisation.mean()) + " std "
                    + Normalisation.join(normalisation.std()));
        }
        if (alphaOutput != null) {
            given.add("alpha output " + alphaOutput);
        }
        return String.join(", ", given);
    }
}
