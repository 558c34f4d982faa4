package org.liso.files;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The first {@code max} names after a cursor, in {@link String#compareTo} order, chosen from names offered one at a
 * time: a tree bounded at {@code max + 1} (the extra one says whether a next page exists), so a directory of any size
 * costs O(entries · log max) time and O(max) memory, and the page is the same whatever order the file system lists.
 */
final class FirstNames {
    private final int max;
    private final String after;
    private final TreeSet<String> kept = new TreeSet<>();

    /** @param after names up to and including this one are skipped; null for the first page */
    FirstNames(int max, String after) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1: " + max);
        }
        this.max = max;
        this.after = after;
    }

    void offer(String name) {
        if (after != null && name.compareTo(after) <= 0) {
            return;
        }
        if (kept.size() > max) {
            if (name.compareTo(kept.last()) >= 0) {
                return;
            }
            kept.pollLast();
        }
        kept.add(name);
    }

    /** At most {@code max} names, sorted. */
    List<String> names() {
        List<String> out = new ArrayList<>(Math.min(kept.size(), max));
        for (String name : kept) {
            if (out.size() == max) {
                break;
            }
            out.add(name);
        }
        return out;
    }

    /** Whether names beyond the page were offered. */
    boolean more() {
        return kept.size() > max;
    }
}
