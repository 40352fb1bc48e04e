package dev.shm.runtime.infer;

import dev.shm.runtime.matte.OnnxRuntimePredictor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Stand-ins for Huawei's {@code msame} and {@code ais_bench} that honour their command line
 * ({@code --model M.om --input DIR --output DIR --outfmt BIN}) and output naming (msame:
 * {@code <stem>_output_<i>.bin}, ais_bench: {@code <stem>_<i>.bin}, both under a time-stamped folder). The model is
 * the ONNX bytes the ATC stand-in wrapped into the .om, run in ONNX Runtime. {@code -Dstandin.failAfter=N} makes the
 * tool die after N images, as a device that fails midway.
 */
public final class StandInAscendTools {
    private StandInAscendTools() {
    }

    public static void main(String[] args) throws IOException {
        String tool = args[0];
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        Path model = Path.of(value(rest, "--model"));
        Path input = Path.of(value(rest, "--input"));
        Path output = Path.of(value(rest, "--output")).resolve("2026_11_27-10_00_00");
        if (!"BIN".equals(value(rest, "--outfmt"))) {
            System.err.println(tool + ": --outfmt BIN expected");
            System.exit(1);
        }
        byte[] om = Files.readAllBytes(model);
        int newline = 0;
        while (om[newline] != '\n') {
            newline++;
        }
        byte[] onnx = Arrays.copyOfRange(om, newline + 1, om.length);
        int failAfter = Integer.getInteger("standin.failAfter", Integer.MAX_VALUE);
        Files.createDirectories(output);
        try (OnnxRuntimePredictor predictor = OnnxRuntimePredictor.open(onnx, model.toString());
                Stream<Path> files = Files.list(input)) {
            int size = predictor.inputSize();
            int done = 0;
            for (Path bin : files.sorted().toList()) {
                if (done == failAfter) {
                    System.err.println(tool + ": device error after " + done + " images");
                    System.exit(3);
                }
                String stem = bin.getFileName().toString().replaceFirst("\\.bin$", "");
                float[][] out = predictor.run(AscendInference.readFloats(bin), size);
                String infix = tool.equals("msame") ? "_output_" : "_";
                Files.write(output.resolve(stem + infix + "0.bin"), AscendInference.floats(out[0]));
                Files.write(output.resolve(stem + infix + "1.bin"), AscendInference.floats(out[1]));
                done++;
            }
            System.out.println("Inference average time: 1.0 ms");
        }
    }

    private static String value(List<String> args, String flag) {
        int i = args.indexOf(flag);
        if (i < 0 || i + 1 >= args.size()) {
            System.err.println("missing " + flag);
            System.exit(1);
        }
        return args.get(i + 1);
    }
}
