package dev.shm.runtime.progress;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/** A goal's reporter: messages and counted tasks with throughput and ETA, fanned out to every sink. */
public final class Progress {
    /** A task reports when it passes each tenth of its work, and at least this often in between. */
    private static final long QUIET_NANOS = TimeUnit.MINUTES.toNanos(5);
    /** ... but never more often than this. */
    private static final long MIN_SPACING_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final String goal;
    private final List<ProgressSink> sinks;
    private final LongSupplier clock;

    public Progress(String goal, List<ProgressSink> sinks) {
        this(goal, sinks, System::nanoTime);
    }

    Progress(String goal, List<ProgressSink> sinks, LongSupplier clock) {
        this.goal = goal;
        this.sinks = List.copyOf(sinks);
        this.clock = clock;
    }

    public static Progress silent(String goal) {
        return new Progress(goal, List.of());
    }

    public void info(String message) {
        emit(ProgressEvent.info(goal, message));
    }

    public void warn(String message) {
        emit(ProgressEvent.warn(goal, message));
    }

    /** Passes on an event another process reported, as it came. */
    public void relay(ProgressEvent event) {
        emit(event);
    }

    /** A task of {@code total} {@code unit} (plural, such as {@code images}), whose rate is reported per unit. */
    public Task task(String name, long total, String unit) {
        return new Task(name, total, unit);
    }

    private void emit(ProgressEvent event) {
        for (ProgressSink sink : sinks) {
            sink.accept(event);
        }
    }

    /**
     * A counted piece of work. It reports each tenth of the way, or after five minutes without a report (never twice
     * within two seconds), so a batch log gets about ten lines a task whatever its size, and once when finished.
     */
    public final class Task {
        private final String name;
        private final long total;
        private final String unit;
        private final long started = clock.getAsLong();
        private long done;
        private long lastReport = started;
        private long lastTenth;
        private String detail;

        private Task(String name, long total, String unit) {
            this.name = name;
            this.total = total;
            this.unit = unit;
        }

        public void advance(long items) {
            advance(items, null);
        }

        /** Counts {@code items} more; {@code detail} (such as the current loss) goes into the next report. */
        public synchronized void advance(long items, String detail) {
            done += items;
            if (detail != null) {
                this.detail = detail;
            }
            long now = clock.getAsLong();
            long tenth = total > 0 ? done * 10 / total : 0;
            boolean due = tenth > lastTenth || now - lastReport >= QUIET_NANOS;
            if (due && done < total && now - lastReport >= MIN_SPACING_NANOS) {
                lastReport = now;
                lastTenth = tenth;
                emit(event("progress", now));
            }
        }

        public synchronized double finish() {
            ProgressEvent event = event("done", clock.getAsLong());
            emit(event);
            return event.itemsPerSecond();
        }

        private ProgressEvent event(String kind, long now) {
            double seconds = Math.max(1e-9, (now - started) / 1e9);
            double rate = done / seconds;
            double eta = rate > 0 && total >= done ? (total - done) / rate : -1;
            String message = String.format(Locale.ROOT, "%s: %d/%d %s%s (%s %s/s%s)", name, done, total, unit,
                    detail == null ? "" : ", " + detail, formatRate(rate), unit,
                    kind.equals("done") ? String.format(Locale.ROOT, ", %.1f s", seconds)
                            : eta >= 0 ? String.format(Locale.ROOT, ", ETA %s", formatDuration(eta)) : "");
            return new ProgressEvent(goal, kind, name, message, done, total, rate, kind.equals("done") ? 0 : eta);
        }
    }

    /** A rate with three significant digits: 12.3, 0.634, 0.0213. */
    static String formatRate(double rate) {
        if (rate >= 100 || rate == 0) {
            return String.format(Locale.ROOT, "%.0f", rate);
        }
        return new java.math.BigDecimal(rate).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
    }

    static String formatDuration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
    }
}
