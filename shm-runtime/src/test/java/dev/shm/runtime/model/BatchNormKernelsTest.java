package dev.shm.runtime.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class BatchNormKernelsTest {
    @ParameterizedTest(name = "SIMD kernels: {0}")
    @ValueSource(booleans = {false, true})
    void normalisesEachChannelWithItsBatchStatistics(boolean simd) {
        Backend.init();
        // channel 0: 1, 2, 3, 4 (mean 2.5, variance 1.25); channel 1: 10 everywhere (variance 0)
        INDArray x = Nd4j.create(new float[] {1, 2, 10, 10, 3, 4, 10, 10}, new long[] {2, 2, 1, 2}, 'c');
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, 2, 2, 1, 2);
        var statistics = forward(simd, x, new float[] {2, 1}, new float[] {1, -1}, 0.25, out);
        assertArrayEquals(new float[] {2.5f, 10}, statistics.mean());
        assertArrayEquals(new float[] {1.25f, 0}, statistics.variance());
        // 2 (x - 2.5) / sqrt(1.5) + 1 and (10 - 10) / sqrt(0.25) - 1
        double s = Math.sqrt(1.5);
        assertArrayEquals(new float[] {(float) (-3 / s + 1), (float) (-1 / s + 1), -1, -1, (float) (1 / s + 1),
                (float) (3 / s + 1), -1, -1}, out.data().asFloat(), 1e-6f);
    }

    @ParameterizedTest(name = "SIMD kernels: {0}")
    @ValueSource(booleans = {false, true})
    void backwardPassIsDl4jsBatchNormGradient(boolean simd) {
        Backend.init();
        Nd4j.getRandom().setSeed(11);
        for (long[] shape : new long[][] {{3, 5, 7, 9}, {2, 64, 8, 8}, {2, 128, 4, 4}, {2, 6, 1, 1}}) {
            INDArray x = Nd4j.rand(DataType.FLOAT, shape).muli(4).subi(1);
            INDArray dy = Nd4j.rand(DataType.FLOAT, shape).subi(0.5);
            assertLikeDl4j(x, dy, simd);
        }
    }

    /**
     * With a ReLU or ReLU6 after the batch norm, the backward pass given the gradient after the activation is, bit
     * for bit, the plain backward pass given that gradient masked where the forward pass's output was active, as
     * {@link InPlaceActivation} masks it.
     */
    @ParameterizedTest(name = "SIMD kernels: {0}")
    @ValueSource(booleans = {false, true})
    void takesTheActivationsMaskFromItsOwnOutput(boolean simd) {
        Backend.init();
        Nd4j.getRandom().setSeed(13);
        for (Activation activation : new Activation[] {Activation.RELU, Activation.RELU6}) {
            INDArray x = Nd4j.rand(DataType.FLOAT, 2, 5, 9, 7).muli(8).subi(2);
            INDArray dy = Nd4j.rand(DataType.FLOAT, x.shape()).subi(0.5);
            float[] gamma = {3, 2, -1, 4, 1};
            float[] beta = {0, 1, 0.5f, -1, 6};
            INDArray out = Nd4j.createUninitialized(DataType.FLOAT, x.shape());
            var statistics = forward(simd, x, gamma, beta, 1e-5, out);
            int upper = InPlaceActivation.upperBits(activation.getActivationFunction());
            INDArray masked = Nd4j.createUninitialized(DataType.FLOAT, x.shape());
            InPlaceActivation.passWhereActive(Floats.of(out), Floats.of(dy), upper, Floats.of(masked),
                    (int) x.length());
            long active = masked.neq(0).castTo(DataType.INT).sumNumber().longValue();
            assertTrue(active > x.length() / 5 && active < x.length() * 4 / 5, "a mask with both sides: " + active);

            INDArray expected = Nd4j.createUninitialized(DataType.FLOAT, x.shape());
            float[] expectedDGamma = new float[5];
            float[] expectedDBeta = new float[5];
            backward(simd, x, masked, statistics, gamma, beta, 1e-5, BatchNormKernels.NO_ACTIVATION, expected,
                    expectedDGamma, expectedDBeta);
            INDArray dx = Nd4j.createUninitialized(DataType.FLOAT, x.shape());
            float[] dGamma = new float[5];
            float[] dBeta = new float[5];
            backward(simd, x, dy, statistics, gamma, beta, 1e-5, upper, dx, dGamma, dBeta);
            assertArrayEquals(expected.data().asFloat(), dx.data().asFloat(), activation.name());
            assertArrayEquals(expectedDGamma, dGamma);
            assertArrayEquals(expectedDBeta, dBeta);
        }
    }

    /**
     * ReLU and ReLU6 as the fused forward pass applies them, in vectors and on single values, give DL4J's activations
     * bit for bit: below zero, at zero of either sign, around and above 6, infinite and NaN.
     */
    @Test
    void activatesAsDl4jDoes() {
        float[] special = {-0.0f, 0f, -1f, 5.9999995f, 6f, 6.0000005f, 7f, Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY, Float.NaN, 3f, -7f};
        int lanes = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length();
        float[] values = new float[lanes * ((special.length + lanes - 1) / lanes)];
        for (int i = 0; i < values.length; i++) {
            values[i] = special[i % special.length];
        }
        for (Activation activation : new Activation[] {Activation.RELU, Activation.RELU6}) {
            int upperBits = InPlaceActivation.upperBits(activation.getActivationFunction());
            boolean capped = activation == Activation.RELU6;
            float upper = Float.intBitsToFloat(upperBits);
            float[] vectors = new float[values.length];
            for (int i = 0; i < values.length; i += lanes) {
                VectorKernels.activate(jdk.incubator.vector.FloatVector.fromArray(
                        jdk.incubator.vector.FloatVector.SPECIES_PREFERRED, values, i), capped, upper).intoArray(vectors, i);
            }
            float[] singles = new float[values.length];
            for (int i = 0; i < values.length; i++) {
                singles[i] = VectorKernels.activate(values[i], capped, upper);
            }
            INDArray expected = activation.getActivationFunction().getActivation(Nd4j.createFromArray(values), true);
            assertArrayEquals(bits(expected), bits(Nd4j.createFromArray(vectors)), activation + " in vectors");
            assertArrayEquals(bits(expected), bits(Nd4j.createFromArray(singles)), activation + " on single values");
        }
    }

    /** The fused forward pass is the plain one followed by DL4J's activation, bit for bit, tails of planes included. */
    @Test
    void appliesTheActivationInItsForwardPassAsDl4jDoes() {
        INDArray x = Nd4j.randn(DataType.FLOAT, 2, 3, 7, 5).muli(8);
        float[] gamma = {1, 2, 0.5f};
        float[] beta = {0, 3, -1};
        for (Activation activation : new Activation[] {Activation.RELU, Activation.RELU6}) {
            INDArray plain = Nd4j.createUninitialized(DataType.FLOAT, x.shape());
            VectorKernels.batchNormForward(x, gamma, beta, 1e-5, BatchNormKernels.NO_ACTIVATION, plain);
            INDArray expected = activation.getActivationFunction().getActivation(plain.dup(), true);
            INDArray fused = Nd4j.createUninitialized(DataType.FLOAT, x.shape());
            VectorKernels.batchNormForward(x, gamma, beta, 1e-5,
                    InPlaceActivation.upperBits(activation.getActivationFunction()), fused);
            assertTrue(expected.minNumber().doubleValue() == 0 && plain.minNumber().doubleValue() < 0);
            assertArrayEquals(bits(expected), bits(fused), activation.name());
        }
    }

    private static int[] bits(INDArray array) {
        float[] values = array.data().asFloat();
        int[] bits = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Float.floatToRawIntBits(values[i]);
        }
        return bits;
    }

    /** The scalar kernels, or the SIMD ones ({@link VectorKernels}). */
    static BatchNormKernels.Statistics forward(boolean simd, INDArray x, float[] gamma, float[] beta, double eps,
            INDArray out) {
        return simd ? VectorKernels.batchNormForward(x, gamma, beta, eps, BatchNormKernels.NO_ACTIVATION, out)
                : BatchNormKernels.forward(x, gamma, beta, eps, out);
    }

    static void backward(boolean simd, INDArray x, INDArray dy, BatchNormKernels.Statistics statistics,
            float[] gamma, float[] beta, double eps, int upperBits, INDArray dx, float[] dGamma, float[] dBeta) {
        if (simd) {
            VectorKernels.batchNormBackward(x, dy, statistics, gamma, beta, eps, upperBits, dx, dGamma, dBeta);
        } else {
            BatchNormKernels.backward(x, dy, statistics, gamma, beta, eps, upperBits, dx, dGamma, dBeta);
        }
    }

    static void assertLikeDl4j(INDArray x, INDArray dy, boolean simd) {
        int channels = (int) x.size(1);
        float[] gamma = Nd4j.rand(DataType.FLOAT, channels).addi(0.5).toFloatVector();
        float[] beta = Nd4j.rand(DataType.FLOAT, channels).toFloatVector();
        double eps = 1e-5;

        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, x.shape());
        var statistics = forward(simd, x, gamma, beta, eps, out);
        INDArray dx = Nd4j.createUninitialized(DataType.FLOAT, x.shape());
        float[] dGamma = new float[channels];
        float[] dBeta = new float[channels];
        backward(simd, x, dy, statistics, gamma, beta, eps, BatchNormKernels.NO_ACTIVATION, dx, dGamma, dBeta);

        Pair<INDArray, Pair<Gradient, INDArray>> dl4j = Dl4jLayers.withoutHelpers(() -> {
            var layer = dl4jBatchNorm(gamma, beta, eps);
            layer.setInput(x, LayerWorkspaceMgr.noWorkspaces());
            INDArray output = layer.activate(true, LayerWorkspaceMgr.noWorkspaces()).dup();
            return Pair.of(output, layer.backpropGradient(dy, LayerWorkspaceMgr.noWorkspaces()));
        });
        assertEquals(0, dl4j.getFirst().sub(out).amaxNumber().doubleValue(), 2e-5);
        assertEquals(0, dl4j.getSecond().getSecond().sub(dx).amaxNumber().doubleValue(), 2e-5);
        Gradient gradient = dl4j.getSecond().getFirst();
        assertArrayEquals(gradient.getGradientFor("gamma").toFloatVector(), dGamma, 2e-3f);
        assertArrayEquals(gradient.getGradientFor("beta").toFloatVector(), dBeta, 2e-3f);
        assertTrue(dx.amaxNumber().doubleValue() > 1e-3, "a gradient to compare");
    }

    private static org.deeplearning4j.nn.layers.normalization.BatchNormalization dl4jBatchNorm(float[] gamma,
            float[] beta, double eps) {
        var conf = new NeuralNetConfiguration.Builder().layer(new BatchNormalization.Builder().nIn(gamma.length)
                .nOut(gamma.length).eps(eps).build()).build();
        var layerConf = conf.getLayer();
        long count = layerConf.initializer().numParams(conf);
        INDArray params = Nd4j.create(DataType.FLOAT, 1, count);
        var layer = (org.deeplearning4j.nn.layers.normalization.BatchNormalization) layerConf.instantiate(conf, null, 0,
                params, true, DataType.FLOAT);
        layer.setBackpropGradientsViewArray(Nd4j.create(DataType.FLOAT, 1, count));
        layer.getParam("gamma").assign(Nd4j.createFromArray(gamma).reshape(1, gamma.length));
        layer.getParam("beta").assign(Nd4j.createFromArray(beta).reshape(1, beta.length));
        return layer;
    }
}
