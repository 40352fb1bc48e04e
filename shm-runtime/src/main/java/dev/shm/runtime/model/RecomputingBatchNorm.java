package dev.shm.runtime.model;

import static org.deeplearning4j.nn.params.BatchNormalizationParamInitializer.BETA;
import static org.deeplearning4j.nn.params.BatchNormalizationParamInitializer.GAMMA;
import static org.deeplearning4j.nn.params.BatchNormalizationParamInitializer.GLOBAL_LOG_STD;
import static org.deeplearning4j.nn.params.BatchNormalizationParamInitializer.GLOBAL_MEAN;
import static org.deeplearning4j.nn.params.BatchNormalizationParamInitializer.GLOBAL_VAR;

import java.lang.ref.WeakReference;
import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Batch norm after a {@link TransientConvolution}: where its training input is the convolution's transient output,
 * it has the convolution write that output again, from the convolution's kept input, just before its own backward
 * pass. With DL4J's helpers on, its training passes run {@link BatchNormKernels} instead of the helper's chain of
 * ND4J reductions, broadcasts and temporary arrays, and it updates the running statistics as DL4J's layer does. With
 * the helpers off, and at inference, it is DL4J's layer.
 */
public class RecomputingBatchNorm extends BatchNormalization {
    public RecomputingBatchNorm() {
    }

    /** The same batch norm as {@code source}. */
    public static RecomputingBatchNorm of(BatchNormalization source) {
        return CustomLayers.copyInto(source, new RecomputingBatchNorm());
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
            INDArray layerParamsView, boolean initializeParams, DataType dataType) {
        return CustomLayers.wire(new Implementation(conf, dataType), conf, initializer(), listeners, layerIndex,
                layerParamsView, initializeParams);
    }

    /**
     * This thread's batch norm whose training output its kernels made last, while no layer has read it; weakly, so
     * that a thread outliving its network does not keep the layer.
     */
    private static final ThreadLocal<WeakReference<Implementation>> LAST_OUTPUT = new ThreadLocal<>();

    /**
     * Where {@code output} is the training output the kernels of this thread's last batch norm made, has its backward
     * pass apply the gradient mask of the ReLU or ReLU6 of {@code upperBits} that overwrote that output in place
     * ({@link InPlaceActivation}), and returns true: the activation's backward pass then hands its output gradient
     * on as it is. The batch norm takes the mask from its output computed again from its input, which it reads
     * anyway, instead of the activation's separate pass over its output, the gradient and a new array.
     */
    static boolean takeMaskOver(INDArray output, int upperBits) {
        WeakReference<Implementation> held = LAST_OUTPUT.get();
        LAST_OUTPUT.remove();
        Implementation last = held == null ? null : held.get();
        if (last == null || last.output != output || last.statistics == null) {
            return false;
        }
        last.upperBits = upperBits;
        last.activationAfter = upperBits;
        return true;
    }

    /**
     * Whether {@code output} is the training output of this thread's last batch norm, which applied the activation
     * of {@code upperBits} itself in its forward pass: it does so from the pass after the one in which that
     * activation, reading its output in place, took the mask over ({@link #takeMaskOver}), since the activation is
     * then the output's only reader ({@link Blocks#convBatchNorm}).
     */
    static boolean activatedAlready(INDArray output, int upperBits) {
        WeakReference<Implementation> held = LAST_OUTPUT.get();
        Implementation last = held == null ? null : held.get();
        return last != null && last.output == output && last.statistics != null && last.applied == upperBits;
    }

    static final class Implementation extends org.deeplearning4j.nn.layers.normalization.BatchNormalization {
        private ConvolutionScratch.Producer producer;
        private BatchNormKernels.Statistics statistics;
        private INDArray output;
        private int upperBits = BatchNormKernels.NO_ACTIVATION;
        /** The activation that reads this layer's output in place, once it has taken a mask over. */
        private int activationAfter = BatchNormKernels.NO_ACTIVATION;
        /** The activation this training pass's forward kernel applied to the output. */
        private int applied = BatchNormKernels.NO_ACTIVATION;
        /** Read when the layer is made, as DL4J reads the switch for its helpers. */
        private final boolean helpers = Backend.helpersOn();

        Implementation(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        @Override
        public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
            assertInputSet(false);
            producer = training ? ConvolutionScratch.producerOf(input, layerId()) : null;
            forgetPass();
            if (!training) {
                return super.activate(false, workspaceMgr);
            }
            if (!kernels()) {
                BatchNormStatistics.observe(layerConf().getLayerName(), input);
                return super.activate(true, workspaceMgr);
            }
            output = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, input.shape(), 'c');
            float[] gamma = getParam(GAMMA).toFloatVector();
            float[] beta = getParam(BETA).toFloatVector();
            if (Backend.vectorKernels()) {
                applied = activationAfter;
                statistics = VectorKernels.batchNormForward(input, gamma, beta, layerConf().getEps(), applied, output);
            } else {
                statistics = BatchNormKernels.forward(input, gamma, beta, layerConf().getEps(), output);
            }
            BatchNormStatistics.observe(layerConf().getLayerName(), statistics.mean(), statistics.variance());
            LAST_OUTPUT.set(new WeakReference<>(this));
            return output;
        }

        /** Only with DL4J's helpers on, like the transient convolutions: with them off it is DL4J's code. */
        private boolean kernels() {
            return helpers && input.rank() == 4 && Floats.fits(input) && !layerConf().isLockGammaBeta()
                    && layerConf().getCnn2DFormat() == CNN2DFormat.NCHW;
        }

        @Override
        public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
            if (producer != null) {
                input = ConvolutionScratch.hold(producer, dataType);
            }
            if (statistics == null) {
                return super.backpropGradient(epsilon, workspaceMgr);
            }
            INDArray gradientAtOutput = Floats.fits(epsilon) ? epsilon : epsilon.dup('c');
            INDArray gradientAtInput = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType,
                    input.shape(), 'c');
            int channels = (int) input.size(1);
            float[] dGamma = new float[channels];
            float[] dBeta = new float[channels];
            float[] gamma = getParam(GAMMA).toFloatVector();
            float[] beta = getParam(BETA).toFloatVector();
            if (Backend.vectorKernels()) {
                VectorKernels.batchNormBackward(input, gradientAtOutput, statistics, gamma, beta, layerConf().getEps(),
                        upperBits, gradientAtInput, dGamma, dBeta);
            } else {
                BatchNormKernels.backward(input, gradientAtOutput, statistics, gamma, beta, layerConf().getEps(),
                        upperBits, gradientAtInput, dGamma, dBeta);
            }
            Gradient gradient = new DefaultGradient();
            gradient.setGradientFor(GAMMA, write(GAMMA, dGamma));
            gradient.setGradientFor(BETA, write(BETA, dBeta));
            runningStatistics(gradient);
            forgetPass();
            return new Pair<>(gradient, gradientAtInput);
        }

        /**
         * Drops what the kernels' forward pass left for the backward pass: statistics, output, the taken-over mask and
         * the activation applied.
         */
        private void forgetPass() {
            statistics = null;
            output = null;
            upperBits = BatchNormKernels.NO_ACTIVATION;
            applied = BatchNormKernels.NO_ACTIVATION;
        }

        /**
         * DL4J's update of the running statistics, as a gradient that its NoOp updater subtracts:
         * {@code (1 - decay)(mean - batchMean)}, and for the log10 standard deviation
         * {@code log10(std / std')} with {@code var' = decay var + (1 - decay) batchVar}.
         */
        private void runningStatistics(Gradient gradient) {
            float[] mean = getParam(GLOBAL_MEAN).toFloatVector();
            float[] batchMean = statistics.mean();
            float[] batchVariance = statistics.variance();
            float decay = (float) layerConf().getDecay();
            float[] dMean = new float[mean.length];
            for (int c = 0; c < mean.length; c++) {
                dMean[c] = (mean[c] - batchMean[c]) * (1 - decay);
            }
            gradient.setGradientFor(GLOBAL_MEAN, write(GLOBAL_MEAN, dMean));
            if (layerConf().isUseLogStd()) {
                float[] log10Std = getParam(GLOBAL_LOG_STD).toFloatVector();
                float[] dLog10Std = new float[mean.length];
                for (int c = 0; c < mean.length; c++) {
                    double variance = Math.pow(10, 2.0 * log10Std[c]);
                    double next = variance * decay + batchVariance[c] * (1 - decay);
                    dLog10Std[c] = (float) (Math.log(variance / next) * ONE_ON_2LOGE_10);
                }
                gradient.setGradientFor(GLOBAL_LOG_STD, write(GLOBAL_LOG_STD, dLog10Std));
            } else {
                float[] variance = getParam(GLOBAL_VAR).toFloatVector();
                float[] dVariance = new float[mean.length];
                for (int c = 0; c < mean.length; c++) {
                    dVariance[c] = (variance[c] - batchVariance[c]) * (1 - decay);
                }
                gradient.setGradientFor(GLOBAL_VAR, write(GLOBAL_VAR, dVariance));
            }
        }

        /** Writes {@code values} into the gradient view of parameter {@code name} and returns the view. */
        private INDArray write(String name, float[] values) {
            INDArray view = gradientViews.get(name);
            Floats.assign(view, values);
            return view;
        }
    }
}
