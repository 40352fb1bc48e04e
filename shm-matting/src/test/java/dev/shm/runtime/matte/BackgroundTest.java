package dev.shm.runtime.matte;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shm.runtime.ShmException;
import dev.shm.runtime.image.Codecs;
import dev.shm.runtime.image.Matte;
import dev.shm.runtime.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackgroundTest {
    @TempDir
    Path dir;

    @Test
    void aColourIsMixedWithThePhotoByAlpha() {
        Raster photo = new Raster(2, 1, 3, new byte[] {(byte) 200, 100, 0, (byte) 200, 100, 0});
        Matte alpha = new Matte(2, 1, new float[] {0.25f, 1f});
        Raster out = Background.parse("#0080FF").behind(photo, alpha);
        // 0.25 * (200, 100, 0) + 0.75 * (0, 128, 255) = (50, 121, 191.25)
        assertArrayEquals(new byte[] {50, 121, (byte) 191, (byte) 200, 100, 0}, out.data());
        assertEquals("#0080ff", Background.parse("0080FF").describe());
    }

    @Test
    void anImageCoversThePhotoKeepingItsAspectAndCentred() throws IOException {
        // a 4x2 image, columns 0..3 with red 0, 1, 2, 3: covering 2x2 keeps columns 1 and 2
        byte[] data = new byte[4 * 2 * 3];
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 4; x++) {
                data[(y * 4 + x) * 3] = (byte) x;
            }
        }
        Path file = Files.write(dir.resolve("beach.png"), Codecs.encodePng(new Raster(4, 2, 3, data)));
        Raster out = Background.parse(file.toString()).behind(new Raster(2, 2, 3, new byte[12]),
                new Matte(2, 2, new float[4]));
        assertEquals(1, out.sample(0, 0, 0));
        assertEquals(2, out.sample(1, 1, 0));
    }

    @Test
    void aBackgroundThatIsNeitherAColourNorAnImageIsRefusedNamingIt() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.txt"), "beach");
        ShmException e = assertThrows(ShmException.class, () -> Background.parse(text.toString()));
        assertTrue(e.getMessage().contains(text.toString()) && e.getMessage().contains("#RRGGBB"), e.getMessage());
    }
}
