package dev.shm.runtime.progress.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shm.runtime.progress.ProgressEvent;
import dev.shm.runtime.progress.ProgressSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/** Appends each event as one JSON object per line, flushed at once, so a CI server can follow a run while it goes. */
public final class JsonLinesSink implements ProgressSink, AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Writer writer;

    public JsonLinesSink(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the event log " + file, e);
        }
    }

    @Override
    public synchronized void accept(ProgressEvent event) {
        ObjectNode node = JSON.createObjectNode();
        node.put("time", Instant.now().toString());
        node.setAll(toJson(event));
        try {
            writer.write(JSON.writeValueAsString(node));
            writer.write('\n');
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An event as one of this file's objects, less its time; counters that are unknown are left out. */
    public static ObjectNode toJson(ProgressEvent event) {
        ObjectNode node = JSON.createObjectNode();
        node.put("goal", event.goal());
        node.put("event", event.kind());
        if (event.task() != null) {
            node.put("task", event.task());
        }
        if (event.message() != null) {
            node.put("message", event.message());
        }
        if (event.done() >= 0) {
            node.put("done", event.done());
        }
        if (event.total() >= 0) {
            node.put("total", event.total());
        }
        if (event.itemsPerSecond() >= 0) {
            node.put("items_per_second", Math.round(event.itemsPerSecond() * 100) / 100.0);
        }
        if (event.etaSeconds() >= 0) {
            node.put("eta_seconds", Math.round(event.etaSeconds() * 10) / 10.0);
        }
        return node;
    }

    /** The event that {@link #toJson} wrote. */
    public static ProgressEvent fromJson(JsonNode node) {
        return new ProgressEvent(node.path("goal").asText(), node.path("event").asText(), text(node.get("task")),
                text(node.get("message")), node.path("done").asLong(-1), node.path("total").asLong(-1),
                node.path("items_per_second").asDouble(-1), node.path("eta_seconds").asDouble(-1));
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    @Override
    public synchronized void close() {
        try {
            writer.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
