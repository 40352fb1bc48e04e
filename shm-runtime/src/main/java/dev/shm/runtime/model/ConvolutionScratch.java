package dev.shm.runtime.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.common.util.ArrayUtil;

/**
 * One buffer per thread for the training output of a convolution that only its batch norm reads: the convolution
 * writes there instead of DL4J's stored activations, the batch norm reads it straight after, and writes it again
 * from the convolution's kept input just before its own backward pass. The buffer holds one output at a time.
 */
public final class ConvolutionScratch {
    /** A convolution that writes its output for its current input into a given array. */
    interface Producer {
        long[] outputShape();

        void writeOutput(INDArray output);
    }

    private static final ThreadLocal<ConvolutionScratch> PER_THREAD = ThreadLocal.withInitial(ConvolutionScratch::new);

    private INDArray buffer;
    private INDArray held;
    private Producer holder;

    private ConvolutionScratch() {
    }

    /** The producer's output, written into this thread's buffer, which it holds until the next call. */
    static INDArray hold(Producer producer, DataType type) {
        return PER_THREAD.get().fill(producer, type);
    }

    /**
     * The producer whose output {@code array} is, or null where {@code array} is not in the buffer. Refuses an
     * output that a later convolution has overwritten.
     */
    static Producer producerOf(INDArray array, String reader) {
        ConvolutionScratch scratch = PER_THREAD.get();
        if (array == scratch.held) {
            return scratch.holder;
        }
        if (scratch.buffer != null && array.data().addressPointer().address() == scratch.buffer.data().addressPointer().address()) {
            throw new IllegalStateException(reader + " reads a convolution output that another convolution has"
                    + " overwritten since: a convolution with a transient output must feed its batch norm directly");
        }
        return null;
    }

    /** Frees this thread's buffer, at the end of training; the next training step allocates it again. */
    public static void release() {
        ConvolutionScratch scratch = PER_THREAD.get();
        if (scratch.buffer != null) {
            scratch.buffer.close();
        }
        PER_THREAD.remove();
    }

    private INDArray fill(Producer producer, DataType type) {
        long[] shape = producer.outputShape();
        long length = ArrayUtil.prodLong(shape);
        if (buffer == null || buffer.length() < length || buffer.dataType() != type) {
            if (buffer != null) {
                buffer.close();
            }
            try (MemoryWorkspace outside = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                buffer = Nd4j.createUninitializedDetached(type, length);
            }
        }
        INDArray output = Nd4j.create(buffer.data(), shape, Nd4j.getStrides(shape, 'c'), 0, 'c', type);
        producer.writeOutput(output);
        held = output;
        holder = producer;
        return output;
    }
}
