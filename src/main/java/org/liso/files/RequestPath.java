package org.liso.files;

import java.nio.file.Path;
import java.util.List;

/**
 * A request path after decoding and dot-segment removal: plain segments (never empty, {@code .}, {@code ..}, or
 * containing {@code /}, NUL or backslash), so joining them under a root cannot leave it lexically.
 *
 * @param segments      the names from the root down
 * @param directoryForm the path ended in {@code /} (or in a dot segment, which RFC 3986 §5.2.4 turns into one)
 */
record RequestPath(List<String> segments, boolean directoryForm) {

    RequestPath {
        segments = List.copyOf(segments);
    }

    boolean isRoot() {
        return segments.isEmpty();
    }

    /** The file-system path under {@code root}: one name per segment, none of which can climb out. */
    Path under(Path root) {
        Path p = root;
        for (String s : segments) {
            p = p.resolve(s);
        }
        return p;
    }

    /** The canonical, percent-encoded form without trailing slash ({@code /} for the root), safe in a Location. */
    String encoded() {
        if (segments.isEmpty()) {
            return "/";
        }
        StringBuilder sb = new StringBuilder();
        for (String s : segments) {
            sb.append('/').append(PercentEncoding.encodeSegment(s));
        }
        return sb.toString();
    }

    /** The decoded form with trailing slash as requested, for humans (a listing's title). */
    String display() {
        String joined = "/" + String.join("/", segments);
        return directoryForm && !segments.isEmpty() ? joined + "/" : joined;
    }
}
