package dev.shm.runtime.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * One mapping of the YAML file, read key by key. Every read records the key, so that {@link #rejectUnknownKeys()}
 * can name the keys nobody asked for; overrides (from plugin parameters or {@code -Dshm.*}) win over the file.
 */
final class ConfigSection {
    private final String file;
    private final String path;
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final Map<String, Integer> keyLines = new LinkedHashMap<>();
    private final Overrides overrides;
    private final Set<String> read = new LinkedHashSet<>();

    ConfigSection(String file, String path, MappingNode mapping, Overrides overrides) {
        this.file = file;
        this.path = path;
        this.overrides = overrides;
        if (mapping != null) {
            for (NodeTuple tuple : mapping.getValue()) {
                Node keyNode = tuple.getKeyNode();
                String key = keyNode instanceof ScalarNode scalar ? scalar.getValue() : String.valueOf(keyNode);
                if (nodes.containsKey(key)) {
                    throw new ConfigException(where(line(keyNode)) + qualified(key) + ": the key appears twice; keep one");
                }
                nodes.put(key, tuple.getValueNode());
                keyLines.put(key, line(keyNode));
            }
        }
    }

    ConfigSection section(String key) {
        read.add(key);
        Node node = nodes.get(key);
        if (node == null || isNull(node)) {
            return new ConfigSection(file, qualified(key), null, overrides);
        }
        if (!(node instanceof MappingNode mapping)) {
            throw error(key, "expected a section of keys, got " + describe(node));
        }
        return new ConfigSection(file, qualified(key), mapping, overrides);
    }

    String string(String key, String defaultValue) {
        return value(key, defaultValue, text -> text);
    }

    /** A name that becomes a file or folder name: one path segment, no separators, not {@code .} or {@code ..}. */
    String fileName(String key, String defaultValue) {
        String name = string(key, defaultValue);
        if (name.isBlank() || name.equals(".") || name.equals("..") || name.contains("/") || name.contains("\\")
                || name.indexOf('\0') >= 0 || !name.equals(name.strip())) {
            throw error(key, "'" + name + "' becomes a file name inside shm's own folder, so it must be one plain "
                    + "name without '/', '\\', surrounding spaces, '.' or '..', such as '" + defaultValue + "'");
        }
        return name;
    }

    int integer(String key, int defaultValue, int min) {
        int value = value(key, defaultValue, text -> parseInteger(key, text));
        if (value < min) {
            throw error(key, "expected an integer >= " + min + ", got " + value);
        }
        return value;
    }

    long longValue(String key, long defaultValue) {
        return value(key, defaultValue, text -> {
            try {
                return Long.parseLong(text.trim());
            } catch (NumberFormatException e) {
                throw error(key, "expected an integer, got '" + text + "'");
            }
        });
    }

    double positiveNumber(String key, double defaultValue) {
        double value = number(key, defaultValue);
        if (!(value > 0) || Double.isInfinite(value)) {
            throw error(key, "expected a positive finite number, got " + value);
        }
        return value;
    }

    double numberIn(String key, double defaultValue, double min, double max) {
        double value = number(key, defaultValue);
        if (!(value >= min && value <= max)) {
            throw error(key, "expected a number from " + min + " to " + max + ", got " + value);
        }
        return value;
    }

    private double number(String key, double defaultValue) {
        return value(key, defaultValue, text -> {
            try {
                return Double.parseDouble(text.trim());
            } catch (NumberFormatException e) {
                throw error(key, "expected a number, got '" + text + "'");
            }
        });
    }

    /** One of an enum's constants, written in lower case in the file ({@code cosine}, {@code whole}). */
    <E extends Enum<E>> E choice(String key, E defaultValue, Class<E> type) {
        return value(key, defaultValue, text -> {
            for (E constant : type.getEnumConstants()) {
                if (constant.name().equalsIgnoreCase(text.trim())) {
                    return constant;
                }
            }
            List<String> names = new ArrayList<>();
            for (E constant : type.getEnumConstants()) {
                names.add("'" + constant.name().toLowerCase(Locale.ROOT) + "'");
            }
            throw error(key, "expected one of " + String.join(", ", names) + ", got '" + text + "'");
        });
    }

    boolean bool(String key, boolean defaultValue) {
        return value(key, defaultValue, text -> switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw error(key, "expected true or false, got '" + text + "'");
        });
    }

    /** A path resolved against {@code base}; {@code null} when the key is absent or null and there is no default. */
    Path path(String key, Path base, Path defaultValue) {
        String text = string(key, null);
        if (text == null || text.isBlank()) {
            return defaultValue;
        }
        return base.resolve(text.trim()).normalize();
    }

    List<String> strings(String key) {
        read.add(key);
        String override = overrides.take(qualified(key));
        if (override != null) {
            List<String> values = new ArrayList<>();
            for (String part : override.split(",")) {
                if (!part.isBlank()) {
                    values.add(part.trim());
                }
            }
            return values;
        }
        Node node = nodes.get(key);
        if (node == null || isNull(node)) {
            return List.of();
        }
        if (!(node instanceof SequenceNode sequence)) {
            throw error(key, "expected a list, got " + describe(node));
        }
        List<String> values = new ArrayList<>();
        for (Node item : sequence.getValue()) {
            if (!(item instanceof ScalarNode scalar)) {
                throw new ConfigException(where(line(item)) + qualified(key) + ": expected a list of strings, got "
                        + describe(item));
            }
            values.add(scalar.getValue());
        }
        return values;
    }

    void rejectUnknownKeys() {
        for (Map.Entry<String, Integer> entry : keyLines.entrySet()) {
            if (!read.contains(entry.getKey())) {
                throw new ConfigException(where(entry.getValue()) + "unknown key '" + qualified(entry.getKey())
                        + "'; known keys here: " + String.join(", ", read));
            }
        }
    }

    ConfigException error(String key, String message) {
        String qualified = qualified(key);
        if (overrides.wasOverridden(qualified)) {
            return new ConfigException("property shm." + qualified + ": " + message);
        }
        Integer line = keyLines.get(key);
        return new ConfigException((line == null ? file + ": " : where(line)) + qualified + ": " + message);
    }

    String qualified(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private <T> T value(String key, T defaultValue, Function<String, T> parse) {
        read.add(key);
        String override = overrides.take(qualified(key));
        if (override != null) {
            return parse.apply(override);
        }
        Node node = nodes.get(key);
        if (node == null || isNull(node)) {
            return defaultValue;
        }
        if (!(node instanceof ScalarNode scalar)) {
            throw error(key, "expected a single value, got " + describe(node));
        }
        return parse.apply(scalar.getValue());
    }

    private int parseInteger(String key, String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw error(key, "expected an integer, got '" + text + "'");
        }
    }

    private String where(int line) {
        return file + " line " + line + ": ";
    }

    private static int line(Node node) {
        return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }

    private static boolean isNull(Node node) {
        return node instanceof ScalarNode scalar && "tag:yaml.org,2002:null".equals(scalar.getTag().getValue());
    }

    private static String describe(Node node) {
        if (node instanceof MappingNode) {
            return "a section of keys";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        return "'" + ((ScalarNode) node).getValue() + "'";
    }
}
