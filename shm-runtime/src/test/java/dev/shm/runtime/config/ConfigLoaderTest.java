package dev.shm.runtime.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path base;

    private ShmConfig load(String yaml) throws IOException {
        return load(yaml, Map.of());
    }

    private ShmConfig load(String yaml, Map<String, String> overrides) throws IOException {
        Path file = base.resolve("config.yaml");
        Files.writeString(file, yaml);
        return new ConfigLoader(base, Path.of("target/shm")).load(file, overrides);
    }

    private String error(String yaml) {
        return assertThrows(ConfigException.class, () -> load(yaml)).getMessage();
    }

    @Test
    void noFileGivesTheSeedDefaultsWithPathsUnderTheOutputDirectory() {
        ShmConfig config = new ConfigLoader(base, Path.of("target/shm")).load(null, Map.of());
        GenerateDataConfig data = config.generateData();
        assertEquals(9527, config.seed());
        assertNull(data.pathMtHuman());
        assertTrue(data.usesSyntheticSource());
        assertEquals(base.resolve("target/shm/datasets"), data.pathSave());
        assertEquals(base.resolve("target/shm/datasets_debug"), data.pathDebug());
        assertEquals(new Proportion(6, 2, 2), data.proportion());
        assertEquals(400, data.debugPicNums());
        assertEquals(10, data.ksize());
        assertTrue(data.fixedKsize());
        assertEquals(1e-3, config.preTrainTNet().lr());
        assertEquals(KeepPolicy.newest(10), config.endToEnd().keepCheckpointMax());
        assertEquals(320, config.test().size());
        assertEquals(base.resolve("target/shm/datasets/test/test.txt"), config.infer().fileTestList());
        assertEquals("shm_export", config.export().fileName());
    }

    @Test
    void readsTheSeedsOwnFile() throws IOException {
        ShmConfig config = load("""
                seed: 42
                rank: 0
                group_size: 8
                device_target: 'Ascend'
                saveIRFlag: False
                ckpt_version: ckpt_s2
                generate_data:
                  path_mt_human: data/human_matting
                  path_save: /cache/datasets
                  proportion: '6:2:2'
                  copy_pic: True
                  fixed_ksize: False
                  list_error_files: ['data/human_matting/matting/1803201916/._matting_00000000']
                pre_train_t_net:
                  rank: 0
                  group_size: 8
                  finetuning: True
                  nThreads: 4
                  train_batch: 8
                  patch_size: 320
                  lr: 1e-3
                  nEpochs: 1000
                  save_epoch: 1
                  keep_checkpoint_max: '10'
                  train_phase: pre_train_t_net
                end_to_end:
                  keep_checkpoint_max: 'all'
                test:
                  device_target: 'Ascend'
                  model: /cache/output/semantic_hm_best.ckpt
                  size: 320
                export:
                  file_format: 'MINDIR'
                """);
        assertEquals(42, config.seed());
        assertEquals(base.resolve("data/human_matting"), config.generateData().pathMtHuman());
        assertEquals(Path.of("/cache/datasets"), config.generateData().pathSave());
        assertFalse(config.generateData().fixedKsize());
        assertEquals(List.of(base.resolve("data/human_matting/matting/1803201916/._matting_00000000")),
                config.generateData().listErrorFiles());
        assertEquals(KeepPolicy.ALL, config.endToEnd().keepCheckpointMax());
        assertEquals(8, config.preTrainTNet().groupSize());
        assertEquals(Path.of("/cache/output/semantic_hm_best.ckpt"), config.test().model());
        assertEquals("MINDIR", config.export().fileFormat());
    }

    @Test
    void unknownKeyNamesItsPathAndLine() {
        String message = error("""
                generate_data:
                  ksize: 5
                  kszie: 7
                """);
        assertTrue(message.contains("line 3") && message.contains("unknown key 'generate_data.kszie'"), message);
    }

    @Test
    void unknownSectionNamesItsLine() {
        String message = error("seed: 1\ntrainning:\n  lr: 1\n");
        assertTrue(message.contains("line 2") && message.contains("unknown key 'trainning'"), message);
    }

    @Test
    void wrongTypeNamesKeyLineAndValue() {
        String message = error("""
                pre_train_t_net:
                  train_batch: eight
                """);
        assertTrue(message.contains("line 2") && message.contains("pre_train_t_net.train_batch")
                && message.contains("expected an integer, got 'eight'"), message);
        assertTrue(error("generate_data:\n  copy_pic: maybe\n").contains("expected true or false"));
        assertTrue(error("generate_data: 5\n").contains("expected a section of keys"));
    }

    @Test
    void proportionMustBeThreePositiveIntegers() {
        for (String bad : List.of("'6:2'", "'6:0:2'", "'a:b:c'", "'6:2:2:1'", "'-1:2:2'")) {
            String message = error("generate_data:\n  proportion: " + bad + "\n");
            assertTrue(message.contains("line 2") && message.contains("generate_data.proportion")
                    && message.contains("three positive integers"), message);
        }
    }

    @Test
    void impossibleNumbersAreRejected() {
        assertTrue(error("generate_data:\n  ksize: 0\n").contains("generate_data.ksize: expected an integer >= 1, got 0"));
        assertTrue(error("generate_data:\n  debug_pic_nums: -1\n").contains("expected an integer >= 0, got -1"));
        assertTrue(error("end_to_end:\n  nEpochs: -3\n").contains("end_to_end.nEpochs"));
        assertTrue(error("test:\n  size: 300\n").contains("multiple of 16"));
        assertTrue(error("pre_train_m_net:\n  lr: 0\n").contains("positive"));
    }

    @Test
    void keepCheckpointMaxIsAllOrANonNegativeInteger() throws IOException {
        assertEquals(KeepPolicy.newest(0), load("end_to_end:\n  keep_checkpoint_max: '0'\n").endToEnd().keepCheckpointMax());
        assertEquals(KeepPolicy.newest(3), load("end_to_end:\n  keep_checkpoint_max: 3\n").endToEnd().keepCheckpointMax());
        String message = error("end_to_end:\n  keep_checkpoint_max: some\n");
        assertTrue(message.contains("line 2") && message.contains("'all' or a non-negative integer"), message);
        assertTrue(error("end_to_end:\n  keep_checkpoint_max: '-1'\n").contains("'all' or a non-negative integer"));
    }

    @Test
    void trainingSamplesAndScheduleHaveDefaultsAndAreValidated() throws IOException {
        PhaseConfig defaults = load("seed: 1\n").preTrainTNet();
        assertEquals(new SampleConfig(SampleConfig.Crop.WHOLE, 0.85, 1.15, 0.2, 0), defaults.samples());
        assertEquals(ScheduleConfig.constant().kind(), defaults.schedule().kind());
        assertEquals(0, defaults.schedule().warmupEpochs());
        assertNull(defaults.initWeight());

        PhaseConfig recipe = load("end_to_end:\n  crop: native\n  lr_schedule: cosine\n  warmup_epochs: 2\n"
                + "  init_weight: models/start.ckpt\n").endToEnd();
        assertEquals(SampleConfig.recipe(), recipe.samples(), "native defaults to the recipe's 0.75..1.25, no jitter");
        assertEquals(new ScheduleConfig(ScheduleConfig.Kind.COSINE, 2, 30, 0.1), recipe.schedule());
        assertEquals(base.resolve("models/start.ckpt"), recipe.initWeight());

        assertTrue(error("pre_train_t_net:\n  crop: middle\n").contains(
                "line 2: pre_train_t_net.crop: expected one of 'whole', 'native', got 'middle'"));
        assertTrue(error("end_to_end:\n  lr_schedule: linear\n").contains(
                "end_to_end.lr_schedule: expected one of 'constant', 'cosine', 'step', got 'linear'"));
        assertTrue(error("end_to_end:\n  min_scale: 1.2\n  max_scale: 1.1\n").contains(
                "line 3: end_to_end.max_scale: expected at least min_scale (1.2), got 1.1"));
        assertTrue(error("end_to_end:\n  jitter: 2\n").contains("end_to_end.jitter: expected a number from 0.0 to 0.9, got 2.0"));
    }

    @Test
    void trainPhaseMustMatchItsSection() {
        assertTrue(error("end_to_end:\n  train_phase: pre_train_t_net\n").contains("expected 'end_to_end'"));
    }

    @Test
    void namesThatBecomeFileNamesStayInsideTheirFolder() throws IOException {
        for (String name : new String[] {"../../../escaped", "a/b", "..", "/tmp/x", "a\\b", "' x'"}) {
            String message = error("export:\n  file_name: " + name + "\n");
            assertTrue(message.contains("export.file_name") && message.contains("one plain name"), message);
        }
        String version = error("ckpt_version: ../elsewhere\n");
        assertTrue(version.contains("ckpt_version: '../elsewhere' becomes a file name"), version);
        assertEquals("model.v2", load("export:\n  file_name: model.v2\n").export().fileName());
    }

    @Test
    void aFileThatSetsNothingIsWarnedAbout() throws IOException {
        for (String text : new String[] {"", "# only a comment\n\n# and another\n", "{}\n"}) {
            Path file = Files.writeString(base.resolve("config.yaml"), text);
            ConfigLoader loader = new ConfigLoader(base, Path.of("out"));
            loader.load(file, Map.of());
            assertEquals(1, loader.warnings().size(), text);
            assertTrue(loader.warnings().get(0).startsWith("The configuration file " + file + " sets nothing"));
        }
        Path file = Files.writeString(base.resolve("config.yaml"), "seed: 1\n");
        ConfigLoader loader = new ConfigLoader(base, Path.of("out"));
        loader.load(file, Map.of());
        assertEquals(List.of(), loader.warnings());
    }

    @Test
    void missingFileIsNamed() {
        Path missing = base.resolve("nope.yaml");
        String message = assertThrows(ConfigException.class,
                () -> new ConfigLoader(base, Path.of("out")).load(missing, Map.of())).getMessage();
        assertTrue(message.contains(missing.toString()) && message.contains("does not exist"), message);
    }

    @Test
    void invalidYamlNamesTheLine() {
        String message = error("generate_data:\n  ksize: [1,\n");
        assertTrue(message.contains("not valid YAML"), message);
    }

    @Test
    void duplicateKeysAreRejected() {
        assertTrue(error("seed: 1\nseed: 2\n").contains("appears twice"));
    }

    @Test
    void overridesWinOverTheFileAndAreValidatedToo() throws IOException {
        ShmConfig config = load("generate_data:\n  ksize: 5\n", Map.of("generate_data.ksize", "7", "seed", "3"));
        assertEquals(7, config.generateData().ksize());
        assertEquals(3, config.seed());
        ConfigException bad = assertThrows(ConfigException.class,
                () -> load("seed: 1\n", Map.of("generate_data.ksize", "0")));
        assertTrue(bad.getMessage().startsWith("property shm.generate_data.ksize"), bad.getMessage());
        ConfigException unknown = assertThrows(ConfigException.class,
                () -> load("seed: 1\n", Map.of("generate_data.kzise", "3")));
        assertTrue(unknown.getMessage().contains("unknown key 'generate_data.kzise'"), unknown.getMessage());
    }

    @Test
    void theCommentedReferenceConfigOfTheRepositoryLoads() {
        Path reference = Path.of("").toAbsolutePath().getParent().resolve("config.yaml");
        ShmConfig config = new ConfigLoader(base, Path.of("target/shm")).load(reference, Map.of());
        assertEquals(9527, config.seed());
        assertTrue(config.generateData().usesSyntheticSource());
        assertEquals(200, config.generateData().synthetic().picNums());
        assertEquals("pre_train_t_net", config.preTrainTNet().trainPhase());
    }

    @Test
    void theQuickstartConfigLoads() {
        Path quickstart = Path.of("").toAbsolutePath().getParent().resolve("examples/quickstart/config.yaml");
        ShmConfig config = new ConfigLoader(base, Path.of("target/shm")).load(quickstart, Map.of());
        assertEquals(120, config.generateData().synthetic().picNums());
    }
}
