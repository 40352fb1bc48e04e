package dev.shm.runtime.export;

import dev.shm.runtime.ShmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import onnx.Onnx;
import org.nd4j.shade.protobuf.InvalidProtocolBufferException;

/**
 * Checks an ONNX model against what Ascend's ATC converts before handing it over: the opset range of the CANN
 * version (9-13 for CANN 5 and 6, 9-18 for CANN 7), operator types ATC's ONNX parser knows, and static shapes on
 * every graph input and output. Each violation names the node or tensor.
 */
public final class AtcPreflight {
    /** ONNX operators that ATC's ONNX parser converts (a subset of CANN's list: those a matting network uses). */
    static final Set<String> SUPPORTED_OPS = Set.of(
            "Abs", "Add", "ArgMax", "AveragePool", "BatchNormalization", "Cast", "Ceil", "Clip", "Concat", "Constant",
            "Conv", "ConvTranspose", "Div", "Dropout", "Elu", "Exp", "Expand", "Flatten", "Floor", "Gather", "Gemm",
            "GlobalAveragePool", "GlobalMaxPool", "HardSigmoid", "Identity", "LeakyRelu", "Log", "LogSoftmax", "MatMul",
            "Max", "MaxPool", "Min", "Mul", "Neg", "Pad", "Pow", "PRelu", "Reciprocal", "ReduceMax", "ReduceMean",
            "ReduceMin", "ReduceSum", "Relu", "Reshape", "Resize", "Shape", "Sigmoid", "Slice", "Softmax", "Split",
            "Sqrt", "Squeeze", "Sub", "Sum", "Tanh", "Tile", "Transpose", "Unsqueeze", "Upsample");

    private AtcPreflight() {
    }

    /** The opset range a CANN major version accepts. */
    public static int[] opsetRange(int cannMajor) {
        return cannMajor >= 7 ? new int[] {9, 18} : new int[] {9, 13};
    }

    public static List<String> violations(byte[] model, int cannMajor) {
        Onnx.ModelProto proto;
        try {
            proto = Onnx.ModelProto.parseFrom(model);
        } catch (InvalidProtocolBufferException e) {
            throw new ShmException("Not an ONNX model: " + e.getMessage(), e);
        }
        List<String> violations = new ArrayList<>();
        int[] range = opsetRange(cannMajor);
        for (Onnx.OperatorSetIdProto opset : proto.getOpsetImportList()) {
            if ((opset.getDomain().isEmpty() || opset.getDomain().equals("ai.onnx"))
                    && (opset.getVersion() < range[0] || opset.getVersion() > range[1])) {
                violations.add("opset " + opset.getVersion() + " is outside " + range[0] + ".." + range[1]
                        + ", the range CANN " + cannMajor + " converts");
            } else if (!opset.getDomain().isEmpty() && !opset.getDomain().equals("ai.onnx")) {
                violations.add("operator set domain '" + opset.getDomain() + "' is not the standard ONNX domain");
            }
        }
        for (Onnx.NodeProto node : proto.getGraph().getNodeList()) {
            if (!SUPPORTED_OPS.contains(node.getOpType())) {
                violations.add("node " + node.getName() + ": operator " + node.getOpType() + " is not converted by ATC");
            }
        }
        List<Onnx.ValueInfoProto> ends = new ArrayList<>(proto.getGraph().getInputList());
        ends.addAll(proto.getGraph().getOutputList());
        for (Onnx.ValueInfoProto value : ends) {
            Onnx.TensorShapeProto shape = value.getType().getTensorType().getShape();
            if (shape.getDimCount() == 0) {
                violations.add("tensor " + value.getName() + " has no static shape");
            }
            for (Onnx.TensorShapeProto.Dimension dim : shape.getDimList()) {
                if (!dim.hasDimValue() || dim.getDimValue() <= 0) {
                    violations.add("tensor " + value.getName() + " has a dynamic dimension '" + dim.getDimParam()
                            + "'; ATC needs static shapes");
                    break;
                }
            }
        }
        return violations;
    }
}
