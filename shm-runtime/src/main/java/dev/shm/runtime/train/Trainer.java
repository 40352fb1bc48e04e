package dev.shm.runtime.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shm.runtime.ShmException;
import dev.shm.runtime.Version;
import dev.shm.runtime.config.Phase;
import dev.shm.runtime.config.PhaseConfig;
import dev.shm.runtime.config.ScheduleConfig;
import dev.shm.runtime.config.ShmConfig;
import dev.shm.runtime.data.Augmentation;
import dev.shm.runtime.data.DatasetFolders;
import dev.shm.runtime.data.DatasetLists;
import dev.shm.runtime.data.MattingSample;
import dev.shm.runtime.data.MeanStd;
import dev.shm.runtime.data.Split;
import dev.shm.runtime.image.Matte;
import dev.shm.runtime.io.AtomicFiles;
import dev.shm.runtime.io.Stamps;
import dev.shm.runtime.metrics.MattingMetrics;
import dev.shm.runtime.model.ActivationWorkspace;
import dev.shm.runtime.model.BatchNormStatistics;
import dev.shm.runtime.model.ConvolutionScratch;
import dev.shm.runtime.model.Inputs;
import dev.shm.runtime.model.LearningRateSchedule;
import dev.shm.runtime.model.Networks;
import dev.shm.runtime.model.checkpoint.CheckpointFolder;
import dev.shm.runtime.model.checkpoint.CheckpointState;
import dev.shm.runtime.model.checkpoint.Checkpoints;
import dev.shm.runtime.progress.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code train}: the phases {@code pre_train_t_net}, {@code pre_train_m_net} and {@code end_to_end} in that order
 * (docs/MODEL.md §2), each under {@code <trainUrl>/<ckpt_version>/<phase>/} with {@code semantic_hm_latest_<epoch>.ckpt}
 * every {@code save_epoch}, {@code semantic_hm_best.ckpt} by eval SAD in the phases that produce alpha,
 * {@code semantic_hm_final.ckpt} when the phase ends, and {@code log_latest.txt} / {@code log_best.txt}.
 * An interrupted phase resumes from its newest checkpoint made with the same configuration, data and starting
 * weights; a finished phase whose inputs are unchanged is skipped.
 */
public final class Trainer {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How many training images measure the batch-norm statistics a checkpoint keeps. */
    static final int STATISTICS_IMAGES = 64;

    private final Progress progress;

    public Trainer(Progress progress) {
        this.progress = progress;
    }

    /** What to train: the configuration, the dataset made by generate-data, where checkpoints go, which phases. */
    public record Request(ShmConfig config, Path dataset, Path trainUrl, List<Phase> phases, boolean force,
            Parallelism parallelism) {
        public Request(ShmConfig config, Path dataset, Path trainUrl, List<Phase> phases, boolean force) {
            this(config, dataset, trainUrl, phases, force, Parallelism.single());
        }
    }

    /** One phase's outcome. {@code bestSad} is NaN for the T-Net phase, which has no eval. */
    public record PhaseResult(Phase phase, boolean upToDate, Path finalCheckpoint, Path bestCheckpoint, int epochs,
            double lastLoss, double bestSad, double imagesPerSecond) {
    }

    public List<PhaseResult> run(Request request) {
        Path stamp = request.dataset().resolve(DatasetFolders.STAMP);
        if (!Files.isRegularFile(stamp)) {
            throw new ShmException("The dataset " + request.dataset() + " was not made by shm:generate-data (no "
                    + DatasetFolders.STAMP + "); run shm:generate-data first or name its output as the dataset",
                    ShmException.Fix.DATASET);
        }
        String dataHash = readFingerprint(stamp);
        MeanStd stats = MeanStd.read(request.dataset().resolve(DatasetFolders.MEAN_STD));
        List<DatasetLists.Entry> train = list(request.dataset(), Split.TRAIN, true);
        List<DatasetLists.Entry> eval = list(request.dataset(), Split.EVAL, false);
        Path root = request.trainUrl().resolve(request.config().ckptVersion());
        List<PhaseResult> results = new ArrayList<>();
        try (Workers workers = request.parallelism().open(progress)) {
            for (Phase phase : Phase.values()) {
                if (!request.phases().contains(phase)) {
                    continue;
                }
                PhaseConfig config = request.config().phase(phase);
                if (config.nEpochs() == 0) {
                    progress.info(phase + ": nEpochs is 0, nothing to train");
                    continue;
                }
                results.add(new PhaseRun(request, root, phase, config, dataHash, stats, train, eval, workers).run());
            }
        } finally {
            ConvolutionScratch.release();
        }
        return results;
    }

    /**
     * One training step on {@code batch}: the graph's activation workspace made ready for it, the fit, the fixed
     * weights written again; returns the loss (no L2).
     */
    static double fitStep(ComputationGraph graph, ActivationWorkspace activations, MultiDataSet batch,
            Networks.Kind kind) {
        activations.prepare(batch);
        graph.fit(batch);
        Networks.restoreFixedWeights(graph, kind);
        return graph.score() - graph.calcRegularizationScore(true);
    }

    static Networks.Kind kindOf(Phase phase) {
        return switch (phase) {
            case PRE_TRAIN_T_NET -> Networks.Kind.T_NET;
            case PRE_TRAIN_M_NET -> Networks.Kind.M_NET;
            case END_TO_END -> Networks.Kind.END_TO_END;
        };
    }

    private static List<DatasetLists.Entry> list(Path dataset, Split split, boolean required) {
        Path file = dataset.resolve(split.dirName()).resolve(split.listName());
        List<DatasetLists.Entry> entries = DatasetLists.read(file);
        if (entries.isEmpty() && required) {
            throw new ShmException("The " + split.dirName() + " split " + file + " lists no sample; generate a larger "
                    + "dataset (generate_data.proportion, the source size)");
        }
        return entries;
    }

    private static String readFingerprint(Path stamp) {
        try {
            return JSON.readTree(stamp.toFile()).path("fingerprint").asText();
        } catch (IOException e) {
            throw new ShmException("Cannot read " + stamp + ": " + e.getMessage(), e);
        }
    }

    /** One phase from start (or resume) to its final checkpoint. */
    private final class PhaseRun {
        private final Request request;
        private final Phase phase;
        private final PhaseConfig config;
        private final Networks.Kind kind;
        private final CheckpointFolder checkpoints;
        private final Path root;
        private final MeanStd stats;
        private final List<DatasetLists.Entry> train;
        private final List<DatasetLists.Entry> eval;
        private final String hash;
        private final List<Path> initialWeights;
        private final Workers workers;

        PhaseRun(Request request, Path root, Phase phase, PhaseConfig config, String dataHash, MeanStd stats,
                List<DatasetLists.Entry> train, List<DatasetLists.Entry> eval, Workers workers) {
            this.request = request;
            this.workers = workers;
            this.root = root;
            this.phase = phase;
            this.config = config;
            this.kind = kindOf(phase);
            this.checkpoints = CheckpointFolder.of(request.trainUrl(), request.config().ckptVersion(), phase);
            this.stats = stats;
            this.train = train;
            this.eval = eval;
            this.initialWeights = initialWeights();
            StringBuilder initialHash = new StringBuilder();
            for (Path weights : initialWeights) {
                initialHash.append(Checkpoints.readState(weights).phaseHash()).append(' ');
            }
            if (config.initWeight() != null) {
                initialHash.append(Stamps.fingerprint("init_weight", config.initWeight()));
            }
            this.hash = Stamps.sha256(String.join("\n", Version.get(), Long.toString(request.config().seed()), kind.name(),
                    Integer.toString(config.trainBatch()), Integer.toString(config.patchSize()), Double.toString(config.lr()),
                    Boolean.toString(config.finetuning()), dataHash, initialHash.toString(),
                    Integer.toString(request.config().generateData().ksize()), config.samples().toString(),
                    scheduleIdentity()));
        }

        /** The schedule as it shapes the run: a cosine depends on the number of epochs, the others do not. */
        private String scheduleIdentity() {
            ScheduleConfig schedule = config.schedule();
            if (schedule.equals(ScheduleConfig.constant())) {
                return "";
            }
            return schedule + (schedule.kind() == ScheduleConfig.Kind.COSINE ? " epochs " + config.nEpochs() : "");
        }

        /**
         * The earlier phases' final weights this phase starts from when {@code finetuning} is on: end_to_end takes
         * T-Net from pre_train_t_net (required) and M-Net from pre_train_m_net when that phase ran in this request.
         */
        private List<Path> initialWeights() {
            if (kind != Networks.Kind.END_TO_END || !config.finetuning()) {
                return List.of();
            }
            Path tNet = CheckpointFolder.of(request.trainUrl(), request.config().ckptVersion(), Phase.PRE_TRAIN_T_NET)
                    .finalCheckpoint();
            if (!Files.isRegularFile(tNet)) {
                throw new ShmException("end_to_end starts from the result of pre_train_t_net, and " + tNet + " does not "
                        + "exist; train pre_train_t_net first, or set end_to_end.finetuning: false to start from random "
                        + "weights", ShmException.Fix.PHASES);
            }
            Path mNet = CheckpointFolder.of(request.trainUrl(), request.config().ckptVersion(), Phase.PRE_TRAIN_M_NET)
                    .finalCheckpoint();
            if (request.phases().contains(Phase.PRE_TRAIN_M_NET) && Files.isRegularFile(mNet)) {
                return List.of(tNet, mNet);
            }
            return List.of(tNet);
        }

        PhaseResult run() {
            int partials = AtomicFiles.removePartials(checkpoints.dir());
            if (partials > 0) {
                progress.info(phase + ": removed " + partials + " partly written file(s) an interrupted run left in "
                        + checkpoints.dir());
            }
            Path finalCheckpoint = checkpoints.finalCheckpoint();
            CheckpointState finished = Files.isRegularFile(finalCheckpoint) ? Checkpoints.readState(finalCheckpoint) : null;
            if (!request.force() && finished != null && hash.equals(finished.phaseHash())
                    && config.doneAt(finished.epoch(), finished.bestEpoch())) {
                progress.info(phase + ": up to date (" + finalCheckpoint + "), skipping (force to train again)");
                Path best = checkpoints.best();
                return new PhaseResult(phase, true, finalCheckpoint, Files.isRegularFile(best) ? best : null,
                        finished.epoch(), Double.NaN, finished.bestSad(), 0);
            }
            ComputationGraph graph;
            int startEpoch;
            long step;
            double bestSad;
            int bestEpoch;
            Path resume = request.force() ? null : resumable();
            if (resume != null) {
                Checkpoints.Loaded loaded = Checkpoints.read(resume, true);
                graph = loaded.graph();
                startEpoch = loaded.state().epoch() + 1;
                step = loaded.state().step();
                bestSad = loaded.state().bestSad();
                bestEpoch = loaded.state().bestEpoch();
                progress.info(phase + ": resuming from " + resume + " at epoch " + startEpoch);
            } else {
                keepPreviousRun();
                graph = newGraph();
                if (config.initWeight() != null) {
                    InitialWeights.Report report = InitialWeights.load(config.initWeight(), graph);
                    progress.info(phase + ": init_weight " + config.initWeight() + ": " + report.describe());
                }
                for (Path weights : initialWeights) {
                    int layers = Networks.copyMatchingParameters(Checkpoints.read(weights, false).graph(), graph);
                    progress.info(phase + ": starting from " + weights + " (" + layers + " layers)");
                }
                startEpoch = 1;
                step = 0;
                bestSad = Double.NaN;
                bestEpoch = 0;
            }
            MemoryCheck.ensureBatchFits(graph, config, phase.key(), workers == null ? 1 : Math.max(1,
                    workers.inThisJvm()));
            ActivationWorkspace activations = new ActivationWorkspace(graph);
            PhaseLog log = new PhaseLog(checkpoints.dir(), root, phase.key(), startEpoch == 1);
            List<MattingSample> evalSamples = producesAlpha() ? loadEval() : List.of();
            List<INDArray[]> statisticsBatches = statisticsBatches();
            double lastLoss = Double.NaN;
            int epochsRun = startEpoch - 1;
            long images = 0;
            long started = System.nanoTime();
            BatchSource source = BatchSource.of(train, config.trainBatch(), config.patchSize(), config.samples(),
                    request.config().seed(), request.config().generateData().ksize(), stats, kind);
            try (BatchLoader loader = new BatchLoader(source, config.nThreads())) {
                int steps = source.stepsPerEpoch();
                Progress.Task task = progress.task(phase.key(), (long) train.size() * (config.nEpochs() - startEpoch + 1),
                        "images");
                progress.info(String.format(Locale.ROOT, "%s: epochs %d..%d, %d steps of %d at %dx%d, lr %s%s",
                        phase, startEpoch, config.nEpochs(), steps, config.trainBatch(), config.patchSize(),
                        config.patchSize(), config.lr(), workers == null ? "" : String.format(Locale.ROOT,
                                ", data-parallel on %s averaged every %d steps of each", workers.describe(),
                                request.parallelism().averagingFrequency())));
                boolean alreadyDone = startEpoch > 1 && config.doneAt(startEpoch - 1, bestEpoch);
                for (int epoch = startEpoch; !alreadyDone && epoch <= config.nEpochs(); epoch++) {
                    long epochStart = System.nanoTime();
                    EpochSteps tally = new EpochSteps(epoch, log, task);
                    if (workers == null) {
                        Iterator<MultiDataSet> batches = loader.epoch(epoch);
                        while (batches.hasNext()) {
                            long waitStart = System.nanoTime();
                            MultiDataSet batch = batches.next();
                            long stepStart = System.nanoTime();
                            tally.waited += stepStart - waitStart;
                            tally.step(fitStep(graph, activations, batch, kind), batch.getFeatures(0).size(0),
                                    System.nanoTime() - stepStart);
                        }
                    } else {
                        fitInRounds(graph, source, epoch, step, tally);
                    }
                    step += tally.steps;
                    images += tally.images;
                    lastLoss = tally.lossSum / tally.steps;
                    long statisticsStart = System.nanoTime();
                    Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread(); // the steps' memory, for what follows
                    BatchNormStatistics.recompute(graph, statisticsBatches);
                    Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
                    long evalStart = System.nanoTime();
                    double sad = Double.NaN;
                    if (!evalSamples.isEmpty()) {
                        sad = evalSad(graph, evalSamples);
                    }
                    long evalEnd = System.nanoTime();
                    boolean best = Double.isFinite(sad) && (Double.isNaN(bestSad) || sad < bestSad);
                    if (best) {
                        bestSad = sad;
                        bestEpoch = epoch;
                    }
                    CheckpointState state = new CheckpointState(phase.key(), kind.name(), epoch, step, hash, bestSad, bestEpoch,
                            config.patchSize(), stats.meanClip(), stats.stdClip(), Version.get());
                    if (best) {
                        Checkpoints.write(checkpoints.best(), graph, state);
                        log.best(epoch, sad);
                    }
                    if (epoch % config.saveEpoch() == 0 || epoch == config.nEpochs()) {
                        saveLatest(graph, state);
                    }
                    double seconds = (System.nanoTime() - epochStart) / 1e9;
                    EpochTimes times = new EpochTimes(seconds, tally.stepping / 1e9, tally.images, tally.waited / 1e9,
                            (evalStart - statisticsStart) / 1e9, (evalEnd - evalStart) / 1e9);
                    log.epoch(epoch, lastLoss, sad, times);
                    epochsRun = epoch;
                    progress.info(String.format(Locale.ROOT, "%s: epoch %d/%d, loss %.5f%s, %s", phase, epoch,
                            config.nEpochs(), lastLoss, Double.isNaN(sad) ? "" : String.format(Locale.ROOT,
                                    ", eval sad %.4f%s", sad, best ? " (best)" : ""), times));
                    if (config.doneAt(epoch, bestEpoch)) {
                        if (epoch < config.nEpochs()) {
                            progress.info(String.format(Locale.ROOT, "%s: stopping early at epoch %d: eval sad has not "
                                    + "improved for %d epochs since its best, %.4f at epoch %d (patience %d)", phase,
                                    epoch, epoch - bestEpoch, bestSad, bestEpoch, config.patience()));
                        }
                        Checkpoints.write(finalCheckpoint, graph, state);
                        break;
                    }
                }
                task.finish();
                if (alreadyDone) {
                    Checkpoints.write(finalCheckpoint, graph, Checkpoints.readState(resume));
                }
            }
            double rate = images / Math.max(1e-9, (System.nanoTime() - started) / 1e9);
            Path best = checkpoints.best();
            return new PhaseResult(phase, false, finalCheckpoint, Files.isRegularFile(best) ? best : null,
                    epochsRun, lastLoss, bestSad, rate);
        }

        /** One epoch's steps as the workers fit them: rounds of {@code averagingFrequency} steps of each worker. */
        private void fitInRounds(ComputationGraph graph, BatchSource source, int epoch, long firstStep, EpochSteps tally) {
            List<List<Integer>> batches = source.batches(epoch);
            int perRound = workers.count() * request.parallelism().averagingFrequency();
            String configuration = graph.getConfiguration().toJson();
            long stepAtRound = firstStep;
            for (int from = 0; from < batches.size(); from += perRound) {
                List<List<List<Integer>>> assignments = Rounds.assign(batches.subList(from, Math.min(batches.size(),
                        from + perRound)), workers.count());
                Round round = new Round(configuration, graph.params().toFloatVector(),
                        RoundWorker.updaterState(graph), stepAtRound, epoch, source, assignments);
                long roundStart = System.nanoTime();
                List<RoundResult> results = workers.run(round);
                long roundTime = System.nanoTime() - roundStart;
                int roundSteps = 0;
                int longest = 0;
                for (RoundResult result : results) {
                    roundSteps += result.losses().length;
                    longest = Math.max(longest, result.losses().length);
                }
                stepAtRound += roundSteps;
                Averaging.apply(graph, results, stepAtRound, kind);
                for (int own = 0; own < longest; own++) {
                    for (RoundResult result : results) {
                        if (own < result.losses().length) {
                            tally.step(result.losses()[own], assignments.get(result.worker()).get(own).size(),
                                    roundTime / roundSteps);
                        }
                    }
                }
            }
        }

        /** The steps of an epoch as they are counted, logged and shown. */
        private final class EpochSteps {
            private final int epoch;
            private final PhaseLog log;
            private final Progress.Task task;
            double lossSum;
            int steps;
            long images;
            long waited;
            long stepping;

            EpochSteps(int epoch, PhaseLog log, Progress.Task task) {
                this.epoch = epoch;
                this.log = log;
                this.task = task;
            }

            void step(double loss, long batchImages, long nanos) {
                if (!Double.isFinite(loss)) {
                    throw new ShmException(phase + ": the loss became " + loss + " at epoch " + epoch + "; lower "
                            + phase + ".lr");
                }
                steps++;
                lossSum += loss;
                images += batchImages;
                stepping += nanos;
                log.step(epoch, steps, loss, nanos / 1e9);
                task.advance(batchImages, String.format(Locale.ROOT, "epoch %d/%d, loss %.5f", epoch, config.nEpochs(),
                        loss));
            }
        }

        private ComputationGraph newGraph() {
            long seed = request.config().seed();
            if (config.schedule().equals(ScheduleConfig.constant())) {
                return Networks.build(kind, config.patchSize(), seed, config.lr());
            }
            return Networks.build(kind, config.patchSize(), seed, LearningRateSchedule.of(config.lr(), config.schedule(),
                    BatchSource.stepsPerEpoch(train.size(), config.trainBatch()), config.nEpochs()));
        }

        private boolean producesAlpha() {
            return kind != Networks.Kind.T_NET;
        }

        /**
         * The checkpoint to resume from: the newest of the latest checkpoints and the final one, when it was made by
         * a run on the same trajectory (the hash leaves out nEpochs, save_epoch, keep_checkpoint_max and nThreads, so
         * raising nEpochs continues a finished phase).
         */
        private Path resumable() {
            List<Path> candidates = new ArrayList<>(checkpoints.latest());
            Path finalCheckpoint = checkpoints.finalCheckpoint();
            if (Files.isRegularFile(finalCheckpoint)) {
                candidates.add(finalCheckpoint);
            }
            Path newest = null;
            int newestEpoch = 0;
            for (Path candidate : candidates) {
                CheckpointState state = Checkpoints.readState(candidate);
                if (state.epoch() > newestEpoch) {
                    newest = candidate;
                    newestEpoch = state.epoch();
                }
            }
            if (newest == null) {
                return null;
            }
            if (hash.equals(Checkpoints.readState(newest).phaseHash())) {
                return newest;
            }
            progress.warn(phase + ": " + newest + " was made with another configuration, data, starting weights or"
                    + " shm version; training the phase afresh");
            return null;
        }

        private void saveLatest(ComputationGraph graph, CheckpointState state) {
            if (!config.keepCheckpointMax().all() && config.keepCheckpointMax().max() == 0) {
                return;
            }
            Checkpoints.write(checkpoints.latest(state.epoch()), graph, state);
            if (!config.keepCheckpointMax().all()) {
                checkpoints.pruneLatest(config.keepCheckpointMax().max());
            }
        }

        /**
         * A fresh start moves this phase's earlier checkpoints and logs (files of ours, by name) into
         * {@code previous/<time>/} beside them, so none is mistaken for the new run's and none is lost.
         */
        private void keepPreviousRun() {
            Path kept = checkpoints.moveAside(Set.of(PhaseLog.LATEST, PhaseLog.BEST));
            if (kept != null) {
                progress.warn(phase + ": the earlier run's checkpoints and logs are kept in " + kept);
            }
        }

        /**
         * The inputs whose batch-norm statistics a checkpoint keeps: the first {@link #STATISTICS_IMAGES} training
         * images, whole and resized to the patch as inference shows a photo, in batches of {@code train_batch}.
         */
        private List<INDArray[]> statisticsBatches() {
            List<MattingSample> samples = loadWhole(train.subList(0, Math.min(train.size(), STATISTICS_IMAGES)));
            List<INDArray[]> batches = new ArrayList<>();
            for (int from = 0; from < samples.size(); from += config.trainBatch()) {
                batches.add(networkInputs(samples.subList(from, Math.min(samples.size(), from + config.trainBatch()))));
            }
            return batches;
        }

        /** A batch of whole samples as this phase's graph takes them: the image, and for M-Net the true trimap. */
        private INDArray[] networkInputs(List<MattingSample> samples) {
            int size = config.patchSize();
            List<float[]> images = new ArrayList<>();
            List<float[]> priors = new ArrayList<>();
            for (MattingSample sample : samples) {
                images.add(stats.clip().apply(sample.image()));
                priors.add(Inputs.oneHot(sample.trimap()));
            }
            INDArray image = Inputs.batch(images, 3, size, size);
            return kind == Networks.Kind.M_NET ? new INDArray[] {image, Inputs.batch(priors, 3, size, size)}
                    : new INDArray[] {image};
        }

        /** Samples whole, resized to the patch as inference shows a photo. */
        private List<MattingSample> loadWhole(List<DatasetLists.Entry> entries) {
            List<MattingSample> samples = new ArrayList<>();
            for (DatasetLists.Entry entry : entries) {
                samples.add(Augmentation.resize(MattingSample.load(entry, request.config().generateData().ksize()),
                        config.patchSize()));
            }
            return samples;
        }

        private List<MattingSample> loadEval() {
            List<MattingSample> samples = loadWhole(eval);
            if (samples.isEmpty()) {
                progress.warn(phase + ": the eval split is empty, so no semantic_hm_best is chosen");
            }
            return samples;
        }

        /** Mean SAD over the eval split at the patch size, as the seed measures it during training. */
        private double evalSad(ComputationGraph graph, List<MattingSample> samples) {
            double total = 0;
            for (int from = 0; from < samples.size(); from += config.trainBatch()) {
                List<MattingSample> chunk = samples.subList(from, Math.min(samples.size(), from + config.trainBatch()));
                INDArray alpha = graph.output(List.of(Networks.ALPHA), false, networkInputs(chunk), null)[0];
                for (int i = 0; i < chunk.size(); i++) {
                    float[] predicted = Matte.clampToUnit(alpha.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i)).dup().data()
                            .asFloat());
                    total += MattingMetrics.sad(predicted, Inputs.matte(chunk.get(i).alpha()), null);
                }
                Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
            }
            return total / samples.size();
        }
    }
}
