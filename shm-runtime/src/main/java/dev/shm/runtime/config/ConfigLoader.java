package dev.shm.runtime.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Loads {@code config.yaml} into {@link ShmConfig}. Relative paths in the file resolve against the project's base
 * directory; paths left out default to places under the output directory. Unknown keys, wrong types and impossible
 * values fail with the key path and the line.
 */
public final class ConfigLoader {

    /** The keys at the top of the file, outside any section. */
    private static final Set<String> TOP_LEVEL_KEYS =
            Set.of("seed", "rank", "group_size", "device_target", "saveIRFlag", "ckpt_version");

    private final Path baseDir;
    private final Path outputDir;
    private final List<String> warnings = new ArrayList<>();

    public ConfigLoader(Path baseDir, Path outputDir) {
        this.baseDir = baseDir.toAbsolutePath().normalize();
        this.outputDir = baseDir.resolve(outputDir).toAbsolutePath().normalize();
    }

    /** Loads {@code file}, or only the defaults and overrides when {@code file} is {@code null}. */
    public ShmConfig load(Path file, Map<String, String> overrides) {
        MappingNode root = null;
        String name = "config defaults";
        if (file != null) {
            name = file.toString();
            if (!Files.isRegularFile(file)) {
                throw new ConfigException("The configuration file " + file + " does not exist; create it (see config.yaml in "
                        + "the shm README) or name no configuration file to run on the defaults",
                        ConfigException.Fix.CONFIG_FILE);
            }
            root = parse(file);
            if (root == null || root.getValue().isEmpty()) {
                warnings.add("The configuration file " + file + " sets nothing (it is empty or only comments), so "
                        + "every key takes its default, for example 1000 T-Net epochs at patch 320; see config.yaml "
                        + "in the shm README for the keys");
            }
        }
        Overrides pending = new Overrides(overrides);
        ConfigSection top = new ConfigSection(name, "", root, pending);
        ShmConfig config = read(top);
        top.rejectUnknownKeys();
        pending.rejectUnused();
        return config;
    }

    /** Whether {@code key} names a configuration key: {@code <section>.<key>} or a top-level key such as {@code seed}. */
    public static boolean isKey(String key) {
        return key.contains(".") || TOP_LEVEL_KEYS.contains(key);
    }

    /** What the last {@link #load} found worth a warning without being an error. */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    private static MappingNode parse(Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Node node = new Yaml(new LoaderOptions()).compose(reader);
            if (node == null) {
                return null;
            }
            if (!(node instanceof MappingNode mapping)) {
                throw new ConfigException(file + " line " + (node.getStartMark().getLine() + 1)
                        + ": expected sections of keys such as 'generate_data:' at the top level");
            }
            return mapping;
        } catch (MarkedYAMLException e) {
            throw new ConfigException(file + " line " + (e.getProblemMark().getLine() + 1) + ": not valid YAML: "
                    + e.getProblem());
        } catch (YAMLException e) {
            throw new ConfigException(file + ": not valid YAML: " + e.getMessage());
        } catch (IOException e) {
            throw new ConfigException("Cannot read the configuration file " + file + ": " + e.getMessage());
        }
    }

    private ShmConfig read(ConfigSection top) {
        long seed = top.longValue("seed", 9527);
        int rank = top.integer("rank", 0, 0);
        int groupSize = top.integer("group_size", 1, 1);
        String deviceTarget = top.string("device_target", "CPU");
        boolean saveIRFlag = top.bool("saveIRFlag", false);
        String ckptVersion = top.fileName("ckpt_version", "ckpt_s2");
        GenerateDataConfig generateData = generateData(top.section("generate_data"));
        PhaseConfig tNet = phase(top.section(Phase.PRE_TRAIN_T_NET.key()), Phase.PRE_TRAIN_T_NET.key(), 1e-3, 1000, 4, rank, groupSize);
        PhaseConfig mNet = phase(top.section(Phase.PRE_TRAIN_M_NET.key()), Phase.PRE_TRAIN_M_NET.key(), 1e-4, 200, 1, rank, groupSize);
        PhaseConfig endToEnd = phase(top.section(Phase.END_TO_END.key()), Phase.END_TO_END.key(), 1e-4, 200, 1, rank, groupSize);
        TestConfig test = test(top.section("test"), generateData.pathSave());
        InferConfig infer = infer(top.section("infer"), generateData.pathSave());
        ExportConfig export = export(top.section("export"));
        return new ShmConfig(seed, rank, groupSize, deviceTarget, saveIRFlag, ckptVersion, generateData, tNet, mNet,
                endToEnd, test, infer, export);
    }

    private GenerateDataConfig generateData(ConfigSection section) {
        Path source = section.path("path_mt_human", baseDir, null);
        Path save = section.path("path_save", baseDir, outputDir.resolve("datasets"));
        Path debug = section.path("path_debug", baseDir, outputDir.resolve("datasets_debug"));
        String proportionText = section.string("proportion", "6:2:2");
        Proportion proportion = Proportion.parse(proportionText);
        if (proportion == null) {
            throw section.error("proportion", "expected three positive integers such as '6:2:2', got '" + proportionText + "'");
        }
        int debugPicNums = section.integer("debug_pic_nums", 400, 0);
        boolean copyPic = section.bool("copy_pic", true);
        boolean generateMask = section.bool("generate_mask", true);
        boolean generateTxt = section.bool("generate_txt", true);
        boolean generateTrimap = section.bool("generate_trimap", true);
        int ksize = section.integer("ksize", 10, 1);
        boolean fixedKsize = section.bool("fixed_ksize", true);
        boolean generateAlpha = section.bool("generate_alpha", true);
        boolean generateDebug = section.bool("generate_debug", true);
        boolean generateMeanStd = section.bool("generate_mean_std", true);
        List<Path> errorFiles = new ArrayList<>();
        for (String entry : section.strings("list_error_files")) {
            errorFiles.add(baseDir.resolve(entry).normalize());
        }
        int threads = section.integer("threads", 0, 0);
        SyntheticConfig synthetic = new SyntheticConfig(
                section.integer("synthetic_pic_nums", 200, 1),
                section.integer("synthetic_width", 600, 16),
                section.integer("synthetic_height", 800, 16));
        section.rejectUnknownKeys();
        return new GenerateDataConfig(source, save, debug, proportion, debugPicNums, copyPic, generateMask, generateTxt,
                generateTrimap, ksize, fixedKsize, generateAlpha, generateDebug, generateMeanStd, errorFiles, threads,
                synthetic);
    }

    private PhaseConfig phase(ConfigSection section, String name, double lr, int epochs, int threads, int rank,
            int groupSize) {
        int phaseRank = section.integer("rank", rank, 0);
        int phaseGroupSize = section.integer("group_size", groupSize, 1);
        boolean finetuning = section.bool("finetuning", true);
        int nThreads = section.integer("nThreads", threads, 1);
        int trainBatch = section.integer("train_batch", 8, 1);
        int patchSize = multipleOf16(section, "patch_size", 320);
        double phaseLr = section.positiveNumber("lr", lr);
        int nEpochs = section.integer("nEpochs", epochs, 0);
        int saveEpoch = section.integer("save_epoch", 1, 1);
        String keepText = section.string("keep_checkpoint_max", "10");
        KeepPolicy keep = KeepPolicy.parse(keepText);
        if (keep == null) {
            throw section.error("keep_checkpoint_max", "expected 'all' or a non-negative integer, got '" + keepText + "'");
        }
        String trainPhase = section.string("train_phase", name);
        if (!trainPhase.equals(name)) {
            throw section.error("train_phase", "expected '" + name + "', the phase this section configures, got '"
                    + trainPhase + "'");
        }
        SampleConfig samples = samples(section);
        ScheduleConfig schedule = schedule(section);
        Path initWeight = section.path("init_weight", baseDir, null);
        int patience = section.integer("patience", 0, 0);
        section.rejectUnknownKeys();
        return new PhaseConfig(name, phaseRank, phaseGroupSize, finetuning, nThreads, trainBatch, patchSize, phaseLr,
                nEpochs, saveEpoch, keep, trainPhase, samples, schedule, initWeight, patience);
    }

    private static SampleConfig samples(ConfigSection section) {
        SampleConfig.Crop crop = section.choice("crop", SampleConfig.Crop.WHOLE, SampleConfig.Crop.class);
        SampleConfig recipe = SampleConfig.recipe();
        boolean whole = crop == SampleConfig.Crop.WHOLE;
        double minScale = section.numberIn("min_scale", whole ? 0.85 : recipe.minScale(), 0.1, 10);
        double maxScale = section.numberIn("max_scale", whole ? 1.15 : recipe.maxScale(), 0.1, 10);
        if (maxScale < minScale) {
            throw section.error("max_scale", "expected at least min_scale (" + minScale + "), got " + maxScale);
        }
        double jitter = section.numberIn("jitter", whole ? 0.2 : recipe.jitter(), 0, 0.9);
        double rotate = section.numberIn("rotate", recipe.rotate(), 0, 45);
        return new SampleConfig(crop, minScale, maxScale, jitter, rotate);
    }

    private static ScheduleConfig schedule(ConfigSection section) {
        ScheduleConfig.Kind kind = section.choice("lr_schedule", ScheduleConfig.Kind.CONSTANT, ScheduleConfig.Kind.class);
        int warmup = section.integer("warmup_epochs", 0, 0);
        int stepEpochs = section.integer("lr_step_epochs", 30, 1);
        double gamma = section.numberIn("lr_gamma", 0.1, 1e-6, 1);
        return new ScheduleConfig(kind, warmup, stepEpochs, gamma);
    }

    private TestConfig test(ConfigSection section, Path datasets) {
        String deviceTarget = section.string("device_target", "CPU");
        Path model = section.path("model", baseDir, null);
        Path testPicPath = section.path("test_pic_path", baseDir, datasets);
        Path outputPath = section.path("output_path", baseDir, outputDir.resolve("eval"));
        int size = multipleOf16(section, "size", 320);
        section.rejectUnknownKeys();
        return new TestConfig(deviceTarget, model, testPicPath, outputPath, size);
    }

    private InferConfig infer(ConfigSection section, Path datasets) {
        Path list = section.path("file_test_list", baseDir, datasets.resolve("test").resolve("test.txt"));
        int size = multipleOf16(section, "size", 320);
        section.rejectUnknownKeys();
        return new InferConfig(list, size);
    }

    private ExportConfig export(ConfigSection section) {
        Path ckpt = section.path("ckpt_file", baseDir, null);
        String fileName = section.fileName("file_name", "shm_export");
        String fileFormat = section.string("file_format", "ONNX");
        String deviceTarget = section.string("device_target", "Ascend");
        section.rejectUnknownKeys();
        return new ExportConfig(ckpt, fileName, fileFormat, deviceTarget);
    }

    private static int multipleOf16(ConfigSection section, String key, int defaultValue) {
        int value = section.integer(key, defaultValue, 16);
        if (value % 16 != 0) {
            throw section.error(key, "expected a multiple of 16 (the networks downsample by 16), got " + value);
        }
        return value;
    }
}
