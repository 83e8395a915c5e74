package dev.tandem.core.memory;

import java.util.List;

/**
 * One page of a listing.
 *
 * @param items the memories on this page
 * @param more whether another page follows
 */
public record Page(List<Memory> items, boolean more) {
    public Page {
        items = List.copyOf(items);
    }
}
