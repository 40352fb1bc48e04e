package dev.shm.runtime.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PngWriterTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 4})
    void whatItWritesOpenCvReadsBackPixelForPixel(int channels) {
        byte[] data = new byte[37 * 23 * channels];
        new Random(channels).nextBytes(data);
        Raster raster = new Raster(37, 23, channels, data);
        Raster back = Codecs.decode(PngWriter.encode(raster));
        assertEquals(channels, back.channels());
        assertEquals(raster.size(), back.size());
        assertArrayEquals(data, back.data());
    }

    @Test
    void theUpFilterStoresEachRowAsItsDifferenceToTheRowAbove() {
        byte[] rows = {10, 20, 13, 25, (byte) 200, 5};
        assertArrayEquals(new byte[] {2, 10, 20, 2, 3, 5, 2, (byte) 187, (byte) -20}, PngWriter.upFiltered(rows, 2, 3));
    }
}
