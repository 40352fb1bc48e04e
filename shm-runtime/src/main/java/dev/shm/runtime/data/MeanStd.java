package dev.shm.runtime.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shm.runtime.ShmException;
import dev.shm.runtime.matte.Normalisation;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The normalisation statistics of a dataset, RGB order on the 0..1 scale, computed by generate-data over the train
 * and eval images and used by every later goal. The trimap statistics are informative only.
 */
public record MeanStd(int images, double[] meanClip, double[] stdClip, double[] meanTrimap, double[] stdTrimap)
        implements Serializable {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static MeanStd of(int images, ChannelStats clip, ChannelStats trimap) {
        return new MeanStd(images, clip.mean(), clip.std(), trimap == null ? null : trimap.mean(),
                trimap == null ? null : trimap.std());
    }

    /** The input normalisation these statistics make: the clips' mean and std. */
    public Normalisation clip() {
        return new Normalisation(meanClip, stdClip);
    }

    public String toJson() {
        ObjectNode node = JSON.createObjectNode();
        node.put("images", images);
        node.put("channel_order", "RGB");
        node.put("scale", "0..1");
        array(node, "mean_clip", meanClip);
        array(node, "std_clip", stdClip);
        if (meanTrimap != null) {
            array(node, "mean_trimap", meanTrimap);
            array(node, "std_trimap", stdTrimap);
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static MeanStd read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ShmException("The normalisation statistics " + file + " do not exist; run shm:generate-data "
                    + "with generate_data.generate_mean_std: true");
        }
        try {
            JsonNode node = JSON.readTree(file.toFile());
            double[] mean = vector(node, "mean_clip", file);
            double[] std = vector(node, "std_clip", file);
            for (double s : std) {
                if (!(s > 0)) {
                    throw new ShmException(file + ": std_clip must be positive in every channel, got " + s);
                }
            }
            return new MeanStd(node.path("images").asInt(), mean, std,
                    node.has("mean_trimap") ? vector(node, "mean_trimap", file) : null,
                    node.has("std_trimap") ? vector(node, "std_trimap", file) : null);
        } catch (IOException e) {
            throw new ShmException("Cannot read " + file + " as JSON: " + e.getMessage(), e);
        }
    }

    private static double[] vector(JsonNode node, String key, Path file) {
        JsonNode array = node.get(key);
        if (array == null || !array.isArray() || array.isEmpty()) {
            throw new ShmException(file + ": expected '" + key + "' to be a list of numbers");
        }
        double[] values = new double[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).asDouble();
        }
        return values;
    }

    private static void array(ObjectNode node, String key, double[] values) {
        ArrayNode array = node.putArray(key);
        for (double v : values) {
            array.add(Math.round(v * 1e6) / 1e6);
        }
    }
}
