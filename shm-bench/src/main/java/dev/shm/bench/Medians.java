package dev.shm.bench;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One table row standing for the same row of several rounds: each figure's median and range. */
final class Medians {
    private static final Pattern FIGURE = Pattern.compile("(-?[0-9]+(?:\\.[0-9]+)?)(.*)");

    private Medians() {
    }

    /**
     * Column by column: a cell the rounds agree on, as it is; a figure (a number and the same text after it) as
     * {@code median text (lowest-highest)}, the median at the figures' precision; anything else as the first
     * round's.
     */
    static String[] of(List<String[]> rounds) {
        int columns = rounds.stream().mapToInt(cells -> cells.length).max().orElse(0);
        String[] merged = new String[columns];
        for (int column = 0; column < columns; column++) {
            List<String> values = new ArrayList<>();
            for (String[] cells : rounds) {
                values.add(column < cells.length ? cells[column] : "");
            }
            merged[column] = merge(values);
        }
        return merged;
    }

    private static String merge(List<String> values) {
        if (values.stream().distinct().count() == 1) {
            return values.get(0);
        }
        List<BigDecimal> numbers = new ArrayList<>();
        String unit = null;
        for (String value : values) {
            Matcher figure = FIGURE.matcher(value);
            if (!figure.matches() || (unit != null && !unit.equals(figure.group(2)))) {
                return values.get(0);
            }
            unit = figure.group(2);
            numbers.add(new BigDecimal(figure.group(1)));
        }
        BigDecimal[] sorted = numbers.stream().sorted().toArray(BigDecimal[]::new);
        int scale = Arrays.stream(sorted).mapToInt(BigDecimal::scale).max().orElse(0);
        int middle = sorted.length / 2;
        BigDecimal median = sorted.length % 2 == 1 ? sorted[middle]
                : sorted[middle - 1].add(sorted[middle]).divide(BigDecimal.valueOf(2));
        return median.setScale(scale, RoundingMode.HALF_EVEN).toPlainString() + unit + " ("
                + sorted[0].toPlainString() + "-" + sorted[sorted.length - 1].toPlainString() + ")";
    }
}
