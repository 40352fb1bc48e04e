package dev.shm.runtime.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.shm.runtime.image.Matte;
import dev.shm.runtime.image.Raster;
import dev.shm.runtime.matte.Matting;
import dev.shm.runtime.matte.ModelSpec;
import dev.shm.runtime.matte.Refinement;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnginesTest {
    @TempDir
    Path dir;

    @Test
    void aCheckpointMattesInOnnxRuntimeAsItsDl4jNetworkDoesAtItsTrainingSize() throws IOException {
        Path checkpoint = dir.resolve("end_to_end.ckpt");
        try (InputStream in = getClass().getResourceAsStream("/compat/end_to_end-0.1.0.ckpt")) {
            Files.copy(in, checkpoint);
        }
        byte[] noise = new byte[45 * 60 * 3];
        new Random(3).nextBytes(noise);
        Raster photo = new Raster(45, 60, 3, noise);
        try (Matting onnx = Engines.matting(checkpoint, ModelSpec.FROM_MODEL, Refinement.NONE);
                Dl4jPredictor dl4j = Dl4jPredictor.load(checkpoint)) {
            assertEquals(32, onnx.size(), "the fixture's patch size");
            assertEquals(1, onnx.threadsPerPhoto(), "one core a photo, for folders");
            Matte fast = onnx.matte(photo);
            Matte reference = new Matting(dl4j, 32).matte(photo);
            double worst = 0;
            for (int i = 0; i < fast.values().length; i++) {
                worst = Math.max(worst, Math.abs(fast.values()[i] - reference.values()[i]));
            }
            assertEquals(0, worst, Engines.PARITY_TOLERANCE);
        }
    }
}
