package dev.shm.runtime.data;

import dev.shm.runtime.config.GenerateDataConfig;
import dev.shm.runtime.image.Codecs;
import dev.shm.runtime.image.Raster;
import java.io.UncheckedIOException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Turns one source pair into the dataset's per-sample files (copies, mask, alpha, trimap) under a flat staging
 * folder, and measures its statistics. A pair that cannot be used comes back as a {@link Skipped} with the reason.
 */
final class SampleProcessor {
    private final GenerateDataConfig config;
    private final long seed;
    private final Path staging;

    SampleProcessor(GenerateDataConfig config, long seed, Path staging) {
        this.config = config;
        this.seed = seed;
        this.staging = staging;
    }

    /** Outcome of one sample: exactly one of {@code processed} and {@code skipped} is set. */
    record Outcome(Processed processed, Skipped skipped) {
    }

    /** A usable sample, its statistics and where its files lie inside a split folder. */
    record Processed(SourceSample sample, int ksize, ChannelStats clip, ChannelStats trimap) {
        String imageFile() {
            return DatasetFolders.CLIP_IMG + "/" + sample.name() + sample.imageExtension();
        }

        String png(String folder) {
            return folder + "/" + sample.name() + ".png";
        }
    }

    Outcome process(SourceSample sample) {
        byte[] imageBytes = read(sample.image());
        if (imageBytes == null || imageBytes.length == 0) {
            return skip(sample.image(), "unreadable or empty image file");
        }
        if (!Codecs.isComplete(imageBytes)) {
            return skip(sample.image(), "truncated image (no end-of-image marker)");
        }
        Raster image = Codecs.decodeRgb(imageBytes);
        if (image == null) {
            return skip(sample.image(), "not a decodable JPEG or PNG image");
        }
        byte[] matteBytes = read(sample.matte());
        if (matteBytes == null || matteBytes.length == 0) {
            return skip(sample.matte(), "unreadable or empty matte file");
        }
        if (!Codecs.isComplete(matteBytes)) {
            return skip(sample.matte(), "truncated matte (no IEND chunk)");
        }
        Raster stored = Codecs.decode(matteBytes);
        if (stored == null) {
            return skip(sample.matte(), "not a decodable PNG matte");
        }
        Raster matte;
        if (sample.matteInAlphaChannel()) {
            if (stored.channels() != 4) {
                return skip(sample.matte(), "matte has no alpha channel (expected an RGBA PNG, got " + stored.channels()
                        + " channel" + (stored.channels() == 1 ? "" : "s") + ")");
            }
            matte = stored.channel(3);
        } else {
            matte = stored.matte();
        }
        if (!matte.sameSize(image)) {
            return skip(sample.matte(), "matte is " + matte.size() + " but its image " + sample.image().getFileName()
                    + " is " + image.size());
        }

        int ksize = Trimaps.kernelSize(config.fixedKsize(), config.ksize(), seed, sample.name());
        Processed processed = new Processed(sample, ksize, ChannelStats.of(image), null);
        if (config.copyPic()) {
            put(staging.resolve(processed.imageFile()), imageBytes);
            put(staging.resolve(processed.png(DatasetFolders.MATTING)), matteBytes);
        }
        if (config.generateMask() || config.generateAlpha()) {
            byte[] mattePng = Codecs.encodePng(matte);
            if (config.generateMask()) {
                put(staging.resolve(processed.png(DatasetFolders.MASK)), mattePng);
            }
            if (config.generateAlpha()) {
                put(staging.resolve(processed.png(DatasetFolders.ALPHA)), mattePng);
            }
        }
        if (config.generateTrimap()) {
            Raster trimap = Trimaps.fromMatte(matte, ksize);
            put(staging.resolve(processed.png(DatasetFolders.TRIMAP)), Codecs.encodePng(trimap));
            processed = new Processed(sample, ksize, processed.clip(), ChannelStats.of(trimap));
        }
        return new Outcome(processed, null);
    }

    private static Outcome skip(Path path, String reason) {
        return new Outcome(null, new Skipped(path, reason));
    }

    private static void put(Path file, byte[] content) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            return null;
        }
    }
}
