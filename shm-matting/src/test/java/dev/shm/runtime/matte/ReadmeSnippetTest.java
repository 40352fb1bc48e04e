package dev.shm.runtime.matte;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shm.runtime.image.Codecs;
import dev.shm.runtime.image.Matte;
import dev.shm.runtime.image.PngWriter;
import dev.shm.runtime.image.Raster;
import dev.shm.runtime.progress.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** README "Matte your photos", From Java: the snippet as written there, in a folder of its own. */
class ReadmeSnippetTest {
    @TempDir
    Path dir;

    @Test
    void theSnippetRunsAsWritten() throws IOException {
        Files.write(dir.resolve("shm_export.onnx"), TinyOnnx.shmExport(16, "0.5,0.5,0.5", "0.25,0.25,0.25"));
        Files.write(dir.resolve("me.jpg"), Codecs.encodeJpeg(new Raster(24, 32, 3, new byte[24 * 32 * 3]), 90));
        Files.createDirectories(dir.resolve("photos"));
        Files.copy(dir.resolve("me.jpg"), dir.resolve("photos/me.jpg"));

        Path model = dir.resolve("shm_export.onnx");
        try (Matting matting = Matting.open(model)) {
            Raster photo = Codecs.decodeRgb(Files.readAllBytes(dir.resolve("me.jpg")));
            Matte alpha = matting.matte(photo);
            Files.write(dir.resolve("me.png"), PngWriter.encode(Matting.cutout(photo, alpha)));
            List<Matte> many = matting.matte(List.of(photo, photo));
            assertEquals(2, many.size());
        }
        try (Matting matting = Matting.open(model, ModelSpec.FROM_MODEL, 1)) {
            PhotoMatting.run(matting, model, new PhotoMatting.Options(dir.resolve("photos"), dir.resolve("mattes"), null,
                    false), Progress.silent("matte"));
        }
        assertEquals(4, Codecs.decode(Files.readAllBytes(dir.resolve("me.png"))).channels());
        assertTrue(Files.isRegularFile(dir.resolve("mattes/cutout/me.png")));
    }
}
