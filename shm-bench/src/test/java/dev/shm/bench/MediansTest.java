package dev.shm.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class MediansTest {
    @Test
    void keepsWhatRoundsAgreeOnAndTakesEachFiguresMedian() {
        List<String[]> rounds = List.of(
                new String[] {"shipped", "train t_net", "320", "1.81 images/s", "4.41 s/step"},
                new String[] {"shipped", "train t_net", "320", "2.10 images/s", "3.80 s/step"},
                new String[] {"shipped", "train t_net", "320", "1.63 images/s", "4.91 s/step"});
        assertArrayEquals(new String[] {"shipped", "train t_net", "320", "1.81 images/s (1.63-2.10)",
            "4.41 s/step (3.80-4.91)"}, Medians.of(rounds));
    }

    @Test
    void averagesTheMiddleTwoOfAnEvenCountAtTheFiguresPrecision() {
        List<String[]> rounds = List.of(new String[] {"a", "6.19 GiB"}, new String[] {"a", "6.51 GiB"},
                new String[] {"a", "6.40 GiB"}, new String[] {"a", "6.45 GiB"});
        // middle two 6.40 and 6.45: 6.425, to two places half-even
        assertArrayEquals(new String[] {"a", "6.42 GiB (6.19-6.51)"}, Medians.of(rounds));
    }

    @Test
    void keepsTheFirstRoundWhereCellsAreNotOneKindOfFigure() {
        List<String[]> rounds = List.of(new String[] {"a", "1.5 images/s", "ok"},
                new String[] {"a", "2 s/step", "failed"}, new String[] {"a"});
        assertArrayEquals(new String[] {"a", "1.5 images/s", "ok"}, Medians.of(rounds));
    }
}
