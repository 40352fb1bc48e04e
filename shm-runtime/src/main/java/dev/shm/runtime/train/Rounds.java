package dev.shm.runtime.train;

import java.util.ArrayList;
import java.util.List;

/** How a round's batches are dealt to its workers. */
final class Rounds {
    private Rounds() {
    }

    /**
     * Deals {@code batches} to at most {@code workers} workers in turn, as cards: worker w takes batches w, w + n,
     * w + 2n...; a round with fewer batches than workers has fewer workers.
     */
    static <T> List<List<T>> assign(List<T> batches, int workers) {
        int used = Math.min(workers, batches.size());
        List<List<T>> assignments = new ArrayList<>();
        for (int w = 0; w < used; w++) {
            assignments.add(new ArrayList<>());
        }
        for (int i = 0; i < batches.size(); i++) {
            assignments.get(i % used).add(batches.get(i));
        }
        return assignments;
    }
}
