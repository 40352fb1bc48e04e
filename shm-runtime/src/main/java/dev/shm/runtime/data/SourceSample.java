package dev.shm.runtime.data;

import java.nio.file.Path;

/**
 * One image and its ground-truth matte in a source dataset. {@code name} is unique within the source and names the
 * sample's files in the generated dataset; {@code matteInAlphaChannel} says the matte is the alpha channel of an RGBA
 * PNG (the aisegment layout) rather than a gray PNG.
 */
public record SourceSample(String name, Path image, Path matte, boolean matteInAlphaChannel) {

    public String imageExtension() {
        String file = image.getFileName().toString();
        int dot = file.lastIndexOf('.');
        return dot < 0 ? "" : file.substring(dot).toLowerCase(java.util.Locale.ROOT);
    }
}
