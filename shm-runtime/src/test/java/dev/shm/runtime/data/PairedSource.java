package dev.shm.runtime.data;

import dev.shm.runtime.image.Codecs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A small source in the paired layout for tests: {@code images/p<i>.jpg} with {@code alpha/p<i>.png}, 32x48. */
final class PairedSource {
    private PairedSource() {
    }

    static Path write(Path source, int count) throws IOException {
        Files.createDirectories(source.resolve("images"));
        Files.createDirectories(source.resolve("alpha"));
        for (int i = 0; i < count; i++) {
            SyntheticPortraits.Portrait p = SyntheticPortraits.render(32, 48, 7, i);
            Files.write(source.resolve("images/p" + i + ".jpg"), Codecs.encodeJpeg(p.image(), 90));
            Files.write(source.resolve("alpha/p" + i + ".png"), Codecs.encodePng(p.matte().channel(3)));
        }
        return source;
    }
}
