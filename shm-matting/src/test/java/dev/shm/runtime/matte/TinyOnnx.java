package dev.shm.runtime.matte;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Small ONNX matting models written byte by byte (the protobuf wire format of onnx.proto), so this module's tests
 * run real ONNX Runtime sessions without a network library: the alpha is the sigmoid of the image's channel mean,
 * which ties every alpha pixel to its own photo pixel.
 */
final class TinyOnnx {
    private TinyOnnx() {
    }

    /**
     * @param side the input's side, or 0 for a free one
     * @param batch the input's batch, or 0 for a free one
     * @param channelsLast NHWC instead of NCHW
     * @param outputs the alpha's name first; a second name adds an output holding the channel mean itself
     * @param metadata the model's metadata properties
     */
    static byte[] model(int side, int batch, boolean channelsLast, String input, String[] outputs,
            Map<String, String> metadata) {
        Proto graph = new Proto();
        String mean = outputs.length > 1 ? outputs[1] : "channel_mean";
        graph.message(1, new Proto().string(1, input).string(2, mean).string(4, "ReduceMean")
                .message(5, new Proto().string(1, "axes").varint(8, channelsLast ? 3 : 1).varint(20, 7)));
        graph.message(1, new Proto().string(1, mean).string(2, outputs[0]).string(4, "Sigmoid"));
        graph.string(2, "tiny_matting");
        long[] in = channelsLast ? new long[] {batch, side, side, 3} : new long[] {batch, 3, side, side};
        long[] out = channelsLast ? new long[] {batch, side, side, 1} : new long[] {batch, 1, side, side};
        graph.message(11, valueInfo(input, in));
        for (String name : outputs) {
            graph.message(12, valueInfo(name, out));
        }
        Proto model = new Proto().varint(1, 7).string(2, "shm tests").message(7, graph)
                .message(8, new Proto().string(1, "").varint(2, 13));
        metadata.forEach((key, value) -> model.message(14, new Proto().string(1, key).string(2, value)));
        return model.bytes();
    }

    /** shm's own export format: input {@code input}, output {@code alpha}, normalisation in the metadata. */
    static byte[] shmExport(int side, String mean, String std) {
        return model(side, 1, false, ModelSpec.INPUT, new String[] {ModelSpec.ALPHA, "trimap_logits"},
                Map.of(ModelSpec.MEAN_KEY, mean, ModelSpec.STD_KEY, std));
    }

    private static Proto valueInfo(String name, long[] shape) {
        Proto dims = new Proto();
        for (long d : shape) {
            dims.message(1, d > 0 ? new Proto().varint(1, d) : new Proto().string(2, "free"));
        }
        return new Proto().string(1, name).message(2, new Proto().message(1, new Proto().varint(1, 1).message(2, dims)));
    }

    /** One protobuf message being written. */
    private static final class Proto {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Proto varint(int field, long value) {
            tag(field, 0);
            raw(value);
            return this;
        }

        Proto string(int field, String value) {
            return bytes(field, value.getBytes(StandardCharsets.UTF_8));
        }

        Proto message(int field, Proto message) {
            return bytes(field, message.bytes());
        }

        byte[] bytes() {
            return out.toByteArray();
        }

        private Proto bytes(int field, byte[] value) {
            tag(field, 2);
            raw(value.length);
            out.writeBytes(value);
            return this;
        }

        private void tag(int field, int wireType) {
            raw((long) field << 3 | wireType);
        }

        private void raw(long value) {
            while ((value & ~0x7FL) != 0) {
                out.write((int) (value & 0x7F) | 0x80);
                value >>>= 7;
            }
            out.write((int) value);
        }
    }
}
