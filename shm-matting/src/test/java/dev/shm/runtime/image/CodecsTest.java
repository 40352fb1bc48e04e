package dev.shm.runtime.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CodecsTest {

    @Test
    void pngKeepsRgbaSamplesInRgbaOrder() {
        byte[] pixels = {10, 20, 30, 40, (byte) 200, (byte) 210, (byte) 220, (byte) 230};
        Raster raster = new Raster(2, 1, 4, pixels);
        Raster back = Codecs.decode(Codecs.encodePng(raster));
        assertEquals(4, back.channels());
        assertArrayEquals(pixels, back.data());
        assertArrayEquals(new byte[] {40, (byte) 230}, back.channel(3).data());
    }

    @Test
    void rgbDecodeOfARedJpegIsRedFirst() {
        byte[] pixels = new byte[16 * 16 * 3];
        for (int i = 0; i < 256; i++) {
            pixels[i * 3] = (byte) 250;
        }
        Raster back = Codecs.decodeRgb(Codecs.encodeJpeg(new Raster(16, 16, 3, pixels), 95));
        assertTrue(back.sample(8, 8, 0) > 240 && back.sample(8, 8, 2) < 15, "red stays in channel 0");
    }

    @Test
    void truncatedFilesAreRecognised() {
        byte[] jpeg = Codecs.encodeJpeg(new Raster(32, 32, 3, new byte[32 * 32 * 3]), 90);
        byte[] png = Codecs.encodePng(Raster.gray(32, 32));
        assertTrue(Codecs.isComplete(jpeg));
        assertTrue(Codecs.isComplete(png));
        assertFalse(Codecs.isComplete(Arrays.copyOf(jpeg, jpeg.length / 2)));
        assertFalse(Codecs.isComplete(Arrays.copyOf(png, png.length - 6)));
    }

    @Test
    void garbageDoesNotDecode() {
        assertNull(Codecs.decode("not an image at all".getBytes()));
    }
}
