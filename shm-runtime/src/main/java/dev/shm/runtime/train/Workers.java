package dev.shm.runtime.train;

import java.util.List;

/** Where the workers of a data-parallel phase run: threads of this JVM, or tasks of a Spark job. */
public interface Workers extends AutoCloseable {

    /** How many workers a round is shared among. */
    int count();

    /** How many of them run in this JVM, each holding a network as it trains. */
    int inThisJvm();

    /** Runs each worker's share of {@code round} and returns their results in worker order. */
    List<RoundResult> run(Round round);

    /** Where they run, for the log: {@code "2 threads"}, {@code "Spark local[2], 2 tasks"}. */
    String describe();

    @Override
    void close();
}
