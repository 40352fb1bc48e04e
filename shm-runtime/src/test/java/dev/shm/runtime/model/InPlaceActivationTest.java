package dev.shm.runtime.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class InPlaceActivationTest {
    @Test
    void trainsExactlyAsDl4jsActivationLayer() {
        for (boolean helpers : new boolean[] {true, false}) {
            Dl4jLayers.withHelpers(helpers, () -> {
                ComputationGraph plain = graph(activation -> new ActivationLayer.Builder().activation(activation).build());
                ComputationGraph inPlace = graph(InPlaceActivation::new);
                INDArray image = trainSideBySide(plain, inPlace, 5, "helpers " + helpers);
                var stored = inPlace.feedForward(new INDArray[] {image}, true, false);
                assertEquals(stored.get("c1_relu6"), stored.get("c1_bn"), "the batch norm's output was overwritten");
                var copied = plain.feedForward(new INDArray[] {image}, true, false);
                assertTrue(copied.get("c1_bn").minNumber().doubleValue() < 0, "a test input with negative pre-activations");
                assertEquals(plain.outputSingle(image), inPlace.outputSingle(image));
            });
        }
    }

    /**
     * After shm's batch norm, the activation leaves its gradient mask to the batch norm's backward pass, which
     * takes it from its own output computed again, and from the second pass on the batch norm applies the activation
     * as it writes its output: training is that of DL4J's activation layer.
     */
    @Test
    void theBatchNormTakesTheMaskOverWithTheSameResult() {
        Dl4jLayers.withHelpers(true, () -> {
            Function<BatchNormalization, Layer> recomputing = RecomputingBatchNorm::of;
            ComputationGraph plain = graph(recomputing,
                    activation -> new ActivationLayer.Builder().activation(activation).build());
            ComputationGraph inPlace = graph(recomputing, InPlaceActivation::new);
            INDArray image = trainSideBySide(plain, inPlace, 7, "parameters after 3 steps");
            inPlace.feedForward(new INDArray[] {image}, true, false);
            for (String name : new String[] {"c1_relu6", "c2_relu"}) {
                var activation = (InPlaceActivation.Implementation) inPlace.getLayer(name);
                assertTrue(activation.maskTakenOver(), name);
                assertTrue(activation.appliedBefore(), name + ": applied by the batch norm after the first pass");
            }
        });
    }

    @Test
    void refusesFunctionsWhoseDerivativeNeedsTheInput() {
        assertThrows(IllegalArgumentException.class, () -> new InPlaceActivation(Activation.TANH));
        assertTrue(new InPlaceActivation(Activation.RELU6).getActivationFn().toString().contains("relu6"));
    }

    /**
     * Three Adam steps of both graphs on the same random batch, whose pre-activations are partly negative; asserts
     * that their parameters are then equal, and returns the batch's image.
     */
    private static INDArray trainSideBySide(ComputationGraph plain, ComputationGraph inPlace, long seed,
            String message) {
        Nd4j.getRandom().setSeed(seed);
        INDArray image = Nd4j.rand(DataType.FLOAT, 2, 3, 8, 8).subi(0.5).muli(8);
        INDArray target = Nd4j.rand(DataType.FLOAT, 2, 4, 8, 8);
        for (int step = 0; step < 3; step++) {
            plain.fit(new INDArray[] {image}, new INDArray[] {target});
            inPlace.fit(new INDArray[] {image}, new INDArray[] {target});
        }
        assertEquals(plain.params(), inPlace.params(), message);
        return image;
    }

    private static ComputationGraph graph(Function<Activation, Layer> activationLayer) {
        return graph(batchNorm -> batchNorm, activationLayer);
    }

    private static ComputationGraph graph(Function<BatchNormalization, Layer> batchNormLayer,
            Function<Activation, Layer> activationLayer) {
        Backend.init();
        var graph = new NeuralNetConfiguration.Builder().seed(3).updater(new Adam(0.05))
                .trainingWorkspaceMode(WorkspaceMode.ENABLED).graphBuilder().addInputs("in")
                .addLayer("c1", Blocks.conv(3, 3, 4, 1, false), "in")
                .addLayer("c1_bn", batchNormLayer.apply(new BatchNormalization.Builder().nIn(4).nOut(4).build()), "c1")
                .addLayer("c1_relu6", activationLayer.apply(Activation.RELU6), "c1_bn")
                .addLayer("c2", Blocks.conv(1, 4, 4, 1, false), "c1_relu6")
                .addLayer("c2_bn", batchNormLayer.apply(new BatchNormalization.Builder().nIn(4).nOut(4).build()), "c2")
                .addLayer("c2_relu", activationLayer.apply(Activation.RELU), "c2_bn")
                .addLayer("out", new CnnLossLayer.Builder().lossFunction(LossFunctions.LossFunction.MSE)
                        .activation(Activation.IDENTITY).build(), "c2_relu")
                .setOutputs("out").setInputTypes(InputType.convolutional(8, 8, 3)).build();
        ComputationGraph network = new ComputationGraph(graph);
        network.init();
        return network;
    }

    @Test
    void passesTheGradientExactlyWhereTheActivationIsBetweenZeroAndItsUpperBound() {
        float[] activations = {-1, -0f, 0, 0.5f, 6, 7, Float.NaN, Float.POSITIVE_INFINITY};
        float[] gradient = {1, 2, 3, 4, 5, 6, 7, 8};
        int relu6 = Float.floatToRawIntBits(6f);
        int relu = Float.floatToRawIntBits(Float.POSITIVE_INFINITY) + 1;
        assertArrayEquals(new float[] {0, 0, 0, 4, 0, 0, 0, 0}, pass(activations, gradient, relu6));
        assertArrayEquals(new float[] {0, 0, 0, 4, 5, 6, 0, 8}, pass(activations, gradient, relu));
    }

    /** The SIMD kernel gives the same bits, over whole runs of lanes and the values after the last run. */
    @Test
    void theSimdMaskPassesTheSameValues() {
        Backend.init();
        float[] pattern = {-1, -0f, 0, 0.5f, 6, 7, Float.NaN, Float.POSITIVE_INFINITY, 5.9999995f, Float.MIN_VALUE};
        int length = 10 * pattern.length + 3;
        float[] activations = new float[length];
        float[] gradient = new float[length];
        for (int i = 0; i < length; i++) {
            activations[i] = pattern[i % pattern.length];
            gradient[i] = i + 1;
        }
        for (int upper : new int[] {Float.floatToRawIntBits(6f), Float.floatToRawIntBits(Float.POSITIVE_INFINITY) + 1}) {
            INDArray out = Nd4j.create(DataType.FLOAT, length);
            VectorKernels.passWhereActive(Nd4j.createFromArray(activations), Nd4j.createFromArray(gradient), upper, out,
                    length);
            assertArrayEquals(pass(activations, gradient, upper), out.toFloatVector());
        }
    }

    private static float[] pass(float[] activations, float[] gradient, int upperBits) {
        java.nio.FloatBuffer out = java.nio.FloatBuffer.allocate(activations.length);
        InPlaceActivation.passWhereActive(java.nio.FloatBuffer.wrap(activations), java.nio.FloatBuffer.wrap(gradient),
                upperBits, out, activations.length);
        return out.array();
    }
}
