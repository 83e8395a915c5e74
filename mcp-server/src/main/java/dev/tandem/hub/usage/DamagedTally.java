package dev.tandem.hub.usage;

import java.util.HashSet;
import java.util.Set;

/**
 * Counts the damaged responses one read of a log finds, for its warning: each response once, however many of its
 * lines are damaged (Claude Code writes one line per content block of a response).
 *
 * <p>A log is written by a program the person runs and may be hostile: it holds the keys of at most {@link #HELD}
 * responses; past that a key is told apart from the one just before it only, so memory stays bounded however many
 * damaged lines a file has. A response whose damaged lines are not next to each other may then be counted again in
 * the warning; the store, which keeps each damaged response by its key, counts it once.
 */
final class DamagedTally {
    /** How many damaged responses' keys one read holds. */
    static final int HELD = 65_536;

    private final Set<Long> keys = new HashSet<>();
    private long count;
    private long last;

    /** Counts the damaged response with {@code key}, unless this read counted it already. */
    void add(long key) {
        boolean again = keys.size() < HELD ? !keys.add(key) : keys.contains(key) || (count > 0 && key == last);
        count += again ? 0 : 1;
        last = key;
    }

    /** Returns how many damaged responses this read counted. */
    long count() {
        return count;
    }

    /** Returns how many keys are held. */
    int held() {
        return keys.size();
    }
}
