package dev.shm.runtime.compat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.shm.runtime.model.checkpoint.CheckpointState;
import dev.shm.runtime.model.checkpoint.Checkpoints;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints users already have keep loading: the graph JSON in every {@code .ckpt} names shm's layer classes, so
 * moving or renaming one would break them. The fixture was written by shm 0.1.0 ({@link CheckpointFixture}).
 */
class CheckpointCompatibilityTest {
    @TempDir
    Path dir;

    private Path resource(String name) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/compat/" + name)) {
            Path file = dir.resolve(name);
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        }
    }

    @Test
    void theFixtureFromShm010LoadsWithItsStateAndPredictsTheSame() throws IOException {
        Checkpoints.Loaded loaded = Checkpoints.read(resource(CheckpointFixture.CHECKPOINT), true);
        CheckpointState state = loaded.state();
        assertEquals("end_to_end", state.phase());
        assertEquals(3, state.epoch());
        assertEquals(42, state.step());
        assertEquals(CheckpointFixture.SIZE, state.patchSize());
        assertArrayEquals(new double[] {0.4, 0.45, 0.5}, state.meanClip());

        float[] expected = new float[(3 + 1) * CheckpointFixture.SIZE * CheckpointFixture.SIZE];
        ByteBuffer.wrap(Files.readAllBytes(resource(CheckpointFixture.OUTPUTS))).order(ByteOrder.LITTLE_ENDIAN)
                .asFloatBuffer().get(expected);
        float[] actual = CheckpointFixture.outputs(loaded.graph());
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5 * Math.max(1, Math.abs(expected[i])), "output " + i);
        }
    }
}
