package dev.shm.runtime.matte;

import dev.shm.runtime.ShmException;
import dev.shm.runtime.progress.Progress;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line: {@code java -jar shm-matting.jar matte INPUT OUTPUT --model MODEL.onnx [options]}. Exit status 0
 * when every photo was matted or up to date, 1 when the run failed, 2 for a wrong command line, 3 when some photos
 * could not be read (the others are done).
 */
public final class MatteCommand {
    static final String USAGE = """
            Usage: shm-matte matte INPUT OUTPUT --model MODEL.onnx [options]

            Mattes a photo or every photo of a folder (jpg, png, webp, bmp) into OUTPUT:
              alpha/NAME.png      the 8-bit matte at the photo's size
              cutout/NAME.png     the photo with that alpha (RGBA), or composite/NAME.png with --background
            Photos whose outputs are up to date are skipped; INPUT is never written.

            Options:
              --model FILE          an ONNX matting model: an shm export, or another with the options below
              --refine MODE         none (bicubic upsampling), guided or guided:RADIUS,EPSILON (default: %s)
              --background VALUE    a colour #RRGGBB or an image file to composite each photo on
              --matte-only          write alpha/ only
              --size N              the side of the model's square input, where its shape leaves it free
              --mean R,G,B          the mean (0..1) the model's input is normalised with, with --std
              --std R,G,B           the std (0..1) the model's input is normalised with, with --mean
              --alpha-output NAME   the output holding the alpha: a name or an index from 0
              --help                this text
            """.formatted(Refinement.DEFAULT);

    private MatteCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command line; returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> positional = new ArrayList<>();
        String model = null;
        String refine = Refinement.DEFAULT;
        String background = null;
        boolean matteOnly = false;
        Integer size = null;
        String mean = null;
        String std = null;
        String alphaOutput = null;
        try {
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--help", "-h" -> {
                        out.print(USAGE);
                        return 0;
                    }
                    case "--model" -> model = value(args, ++i, arg);
                    case "--refine" -> refine = value(args, ++i, arg);
                    case "--background" -> background = value(args, ++i, arg);
                    case "--matte-only" -> matteOnly = true;
                    case "--size" -> size = Integer.valueOf(value(args, ++i, arg));
                    case "--mean" -> mean = value(args, ++i, arg);
                    case "--std" -> std = value(args, ++i, arg);
                    case "--alpha-output" -> alphaOutput = value(args, ++i, arg);
                    default -> {
                        if (arg.startsWith("--")) {
                            throw new IllegalArgumentException("unknown option " + arg);
                        }
                        positional.add(arg);
                    }
                }
            }
            if (positional.size() != 3 || !positional.get(0).equals("matte") || model == null) {
                throw new IllegalArgumentException("expected: matte INPUT OUTPUT --model MODEL.onnx");
            }
            ModelSpec spec = ModelSpec.parse(size, mean, std, alphaOutput);
            Refinement refinement = Refinement.parse(refine);
            PhotoMatting.Options options = new PhotoMatting.Options(Path.of(positional.get(1)),
                    Path.of(positional.get(2)), background == null ? null : Background.parse(background), matteOnly);
            Progress progress = new Progress("matte", List.of(event -> err.println(
                    (event.kind().equals("warn") ? "warning: " : "") + event.message())));
            Path file = Path.of(model);
            try (Matting matting = Matting.open(file, spec, 1).refinedBy(refinement)) {
                PhotoMatting.Result result = PhotoMatting.run(matting, file, options, progress);
                return result.skipped().isEmpty() ? 0 : 3;
            }
        } catch (IllegalArgumentException e) {
            err.println("shm-matte: " + e.getMessage());
            err.println("Run with --help for the options.");
            return 2;
        } catch (ShmException e) {
            err.println("shm-matte: " + e.getMessage());
            return 1;
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
