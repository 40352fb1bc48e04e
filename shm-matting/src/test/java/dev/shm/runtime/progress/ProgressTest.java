package dev.shm.runtime.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProgressTest {
    private long now;
    private final List<ProgressEvent> events = new ArrayList<>();
    private final Progress progress = new Progress("train", List.of(events::add), () -> now);

    @Test
    void aTaskReportsEachTenthWithItsRateInItsOwnUnitAndOnceWhenDone() {
        Progress.Task task = progress.task("end_to_end", 1000, "images");
        for (int step = 0; step < 125; step++) {
            now += TimeUnit.SECONDS.toNanos(10);
            task.advance(8, "loss 0.5");
        }
        task.finish();
        List<String> lines = events.stream().map(ProgressEvent::message).toList();
        assertEquals(10, lines.size(), "nine tenths on the way and the end: " + lines);
        assertEquals("end_to_end: 104/1000 images, loss 0.5 (0.8 images/s, ETA 18 min 40 s)", lines.get(0),
                "8 images every 10 s; 896 left");
        assertEquals("end_to_end: 1000/1000 images, loss 0.5 (0.8 images/s, 1250.0 s)", lines.get(9));
    }

    @Test
    void aSlowTaskStillReportsEveryFiveMinutesAndAFastOneNotTwiceInTwoSeconds() {
        Progress.Task slow = progress.task("pre_train_t_net", 1_000_000, "images");
        for (int step = 0; step < 40; step++) {
            now += TimeUnit.SECONDS.toNanos(30);
            slow.advance(1);
        }
        assertEquals(4, events.size(), "one report every five minutes in twenty minutes");
        events.clear();
        Progress.Task fast = progress.task("eval", 100, "images");
        for (int image = 0; image < 100; image++) {
            now += TimeUnit.MILLISECONDS.toNanos(10);
            fast.advance(1);
        }
        assertEquals(0, events.size(), "a second's work gets only the final line");
    }

    @Test
    void ratesKeepThreeSignificantDigits() {
        assertEquals("0.634", Progress.formatRate(0.63412));
        assertEquals("12.3", Progress.formatRate(12.34));
        assertEquals("0.0213", Progress.formatRate(0.021349));
        assertEquals("250", Progress.formatRate(250.4));
        assertEquals("0", Progress.formatRate(0));
    }
}
