package dev.tandem.sync.engine;

/** What is done with a plan: write it, print it, or report it as drift. Returns the exit code. */
public interface Writer {
    int apply(Plan plan);
}
