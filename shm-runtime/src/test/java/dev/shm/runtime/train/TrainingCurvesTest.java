package dev.shm.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TrainingCurvesTest {

    @Test
    void drawsEveryStepEpochMeanAndEvalSadOfTheLog() {
        String log = """
                train epoch: 1 step: 1, loss: 0.400000000, speed: 1.0
                train epoch: 1 step: 2, loss: 0.200000000, speed: 1.0
                epoch: 1, mean loss: 0.300000000, eval sad: 2.000000, time: 1.0 s
                train epoch: 2 step: 1, loss: 0.100000000, speed: 1.0
                train epoch: 2 step: 2, loss: 0.100000000, speed: 1.0
                epoch: 2, mean loss: 0.100000000, eval sad: 1.000000, time: 1.0 s
                """;
        String svg = TrainingCurves.svg("end_to_end", log);
        Matcher polylines = Pattern.compile("<polyline points=\"([^\"]*)\" fill=\"none\" stroke=\"#").matcher(svg);
        int[] counts = new int[3];
        for (int i = 0; i < 3; i++) {
            assertTrue(polylines.find(), svg);
            counts[i] = polylines.group(1).split(" ").length;
        }
        assertEquals(4, counts[0], "four steps");
        assertEquals(2, counts[1], "two epoch means");
        assertEquals(2, counts[2], "two eval SADs");
        assertTrue(svg.contains(">0.4<") && svg.contains(">0.1<"), "the loss axis spans 0.1..0.4");
        // the first step (x = 1, loss 0.4) is the panel's top-left corner: x0 = 44, y1 = 24
        assertTrue(svg.contains("points=\"44.0,24.0 "), svg);
    }

    @Test
    void aPhaseWithoutEvalSaysSoInsteadOfDrawing() {
        String svg = TrainingCurves.svg("pre_train_t_net", "epoch: 1, mean loss: 1.0, time: 1.0 s\n");
        assertTrue(svg.contains("no values"), svg);
    }
}
