package dev.shm.runtime.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Java access to a float array's native memory, for the training kernels, and their per-thread scratch arrays. */
final class Floats {
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[2][0]);

    private Floats() {
    }

    /** Whether {@code array} can be read and written as one run of floats in C order. */
    static boolean fits(INDArray array) {
        return array.dataType() == DataType.FLOAT && contiguous(array.shape(), array.stride())
                && array.length() <= Integer.MAX_VALUE / Float.BYTES;
    }

    /** Whether each dimension longer than 1 steps over all the dimensions after it, as in C order. */
    static boolean contiguous(long[] shape, long[] stride) {
        long step = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] > 1 && stride[i] != step) {
                return false;
            }
            step *= shape[i];
        }
        return true;
    }

    /** {@code array} where it {@link #fits}, else a copy of it that does. */
    static INDArray fitting(INDArray array) {
        return fits(array) ? array : array.castTo(DataType.FLOAT).dup('c');
    }

    /** The elements of {@code array} (see {@link #fits}) as a buffer over its native memory. */
    static FloatBuffer of(INDArray array) {
        long length = checkedLength(array);
        FloatPointer pointer = new FloatPointer(array.data().addressPointer());
        return pointer.position(0).limit(length).capacity(length).asBuffer();
    }

    /** The elements of {@code array} (see {@link #fits}) as bytes in native order over its native memory. */
    static ByteBuffer bytes(INDArray array) {
        long length = checkedLength(array) * Float.BYTES;
        BytePointer pointer = new BytePointer(array.data().addressPointer());
        return pointer.position(0).limit(length).capacity(length).asByteBuffer().order(ByteOrder.nativeOrder());
    }

    private static long checkedLength(INDArray array) {
        if (!fits(array)) {
            throw new IllegalArgumentException("not one contiguous run of floats: " + array.shapeInfoToString());
        }
        return array.length();
    }

    /** The elements of {@code array} in C order, copied into a Java array: a parameter's values for the kernels. */
    static float[] values(INDArray array) {
        return array.dup('c').data().asFloat();
    }

    /** Writes {@code values}, in C order, into {@code view}, a parameter's or gradient's view of any strides. */
    static void assign(INDArray view, float[] values) {
        view.assign(Nd4j.createFromArray(values).reshape(view.shape()));
    }

    /** This thread's scratch array number {@code index} (0 or 1), at least {@code length} long. */
    static float[] scratch(int index, int length) {
        float[][] arrays = SCRATCH.get();
        if (arrays[index].length < length) {
            arrays[index] = new float[length];
        }
        return arrays[index];
    }
}
