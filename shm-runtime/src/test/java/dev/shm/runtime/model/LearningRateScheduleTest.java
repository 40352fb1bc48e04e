package dev.shm.runtime.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.shm.runtime.config.ScheduleConfig;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.config.Adam;

class LearningRateScheduleTest {

    private static LearningRateSchedule schedule(ScheduleConfig.Kind kind, int warmup) {
        // 10 steps an epoch, 4 epochs, a step every 2 epochs by 0.5
        return LearningRateSchedule.of(0.1, new ScheduleConfig(kind, warmup, 2, 0.5), 10, 4);
    }

    @Test
    void warmUpIsLinearThenEachShapeFollows() {
        LearningRateSchedule constant = schedule(ScheduleConfig.Kind.CONSTANT, 1);
        assertEquals(0.01, constant.valueAt(0, 0), 1e-12, "first of ten warm-up steps");
        assertEquals(0.1, constant.valueAt(9, 0), 1e-12);
        assertEquals(0.1, constant.valueAt(39, 0), 1e-12);

        LearningRateSchedule cosine = schedule(ScheduleConfig.Kind.COSINE, 1);
        assertEquals(0.1, cosine.valueAt(10, 0), 1e-12, "decay starts after the warm-up");
        assertEquals(0.05, cosine.valueAt(25, 0), 1e-12, "half way through the 30 decay steps");
        assertEquals(0.1 * 0.5 * (1 + Math.cos(Math.PI * 29 / 30)), cosine.valueAt(39, 0), 1e-12);
        assertEquals(0, cosine.valueAt(80, 0), 1e-12, "beyond the last epoch it stays at 0");

        LearningRateSchedule step = schedule(ScheduleConfig.Kind.STEP, 0);
        assertEquals(0.1, step.valueAt(19, 0), 1e-12);
        assertEquals(0.05, step.valueAt(20, 0), 1e-12, "epoch 3 starts the second step");
        assertEquals(0.025, step.valueAt(40, 0), 1e-12);
    }

    @Test
    void theScheduleTravelsInTheGraphsConfiguration() {
        LearningRateSchedule schedule = schedule(ScheduleConfig.Kind.COSINE, 1);
        ComputationGraph graph = Networks.build(Networks.Kind.M_NET, 32, 1, schedule);
        ComputationGraphConfiguration restored = ComputationGraphConfiguration.fromJson(graph.getConfiguration().toJson());
        LayerVertex out = (LayerVertex) restored.getVertices().get(MNet.RAW_ALPHA);
        Adam adam = (Adam) ((BaseLayer) out.getLayerConf().getLayer()).getIUpdater();
        assertEquals(schedule, adam.getLearningRateSchedule());
    }
}
