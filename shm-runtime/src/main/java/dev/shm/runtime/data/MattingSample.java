package dev.shm.runtime.data;

import dev.shm.runtime.ShmException;
import dev.shm.runtime.image.Codecs;
import dev.shm.runtime.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** One training or evaluation sample in memory: RGB image, gray alpha matte and trimap (0/128/255), one size. */
public record MattingSample(String name, Raster image, Raster alpha, Raster trimap) {

    /**
     * Loads a listed sample. The trimap is read from the split's {@code trimap/} folder beside the matte's folder, or
     * made from the matte with kernel {@code ksize} when the dataset has none.
     */
    public static MattingSample load(DatasetLists.Entry entry, int ksize) {
        Raster image = Codecs.decodeRgb(read(entry.image()));
        if (image == null) {
            throw new ShmException("Cannot decode the image " + entry.image() + "; regenerate the dataset with shm:generate-data");
        }
        Raster stored = Codecs.decode(read(entry.matte()));
        if (stored == null) {
            throw new ShmException("Cannot decode the matte " + entry.matte());
        }
        Raster alpha = stored.matte();
        if (!alpha.sameSize(image)) {
            throw new ShmException("The matte " + entry.matte() + " is " + alpha.size() + " but its image "
                    + entry.image() + " is " + image.size());
        }
        String stem = entry.matte().getFileName().toString().replaceFirst("\\.[^.]+$", "");
        Path trimapFile = entry.matte().getParent().resolveSibling(DatasetFolders.TRIMAP).resolve(stem + ".png");
        Raster trimap = Files.isRegularFile(trimapFile) ? Codecs.decode(read(trimapFile)) : Trimaps.fromMatte(alpha, ksize);
        if (trimap == null || !trimap.sameSize(image) || trimap.channels() != 1) {
            throw new ShmException("The trimap " + trimapFile + " is not a gray PNG of the image's size " + image.size());
        }
        return new MattingSample(stem, image, alpha, trimap);
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ShmException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
