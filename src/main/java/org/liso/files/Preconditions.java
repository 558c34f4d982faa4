package org.liso.files;

import java.util.List;
import org.liso.http.Headers;
import org.liso.http.HttpDate;
import org.liso.http.Method;

/** Conditional requests on a static file, evaluated in the order of RFC 9110 §13.2.2. */
final class Preconditions {

    /** What the preconditions leave to do. */
    enum Outcome {
        /** Serve the file (possibly a range of it). */
        PROCEED,
        /** 304: the client's copy is current. */
        NOT_MODIFIED,
        /** 412: a precondition the client set does not hold. */
        FAILED
    }

    private Preconditions() {
    }

    static Outcome evaluate(Method method, Headers headers, FileMeta meta) {
        long lastModified = meta.lastModifiedSecondsMillis();
        // Step 1-2: If-Match, else If-Unmodified-Since.
        String ifMatch = joined(headers, "If-Match");
        if (ifMatch != null) {
            if (!EntityTags.isWildcard(ifMatch) && !EntityTags.anyMatches(ifMatch, meta.etag(), true)) {
                return Outcome.FAILED;
            }
        } else {
            long since = singleDate(headers, "If-Unmodified-Since");
            if (since >= 0 && lastModified > since) {
                return Outcome.FAILED;
            }
        }
        boolean safe = method == Method.GET || method == Method.HEAD;
        // Step 3-4: If-None-Match (weak comparison, §13.1.2), else If-Modified-Since for GET and HEAD only.
        String ifNoneMatch = joined(headers, "If-None-Match");
        if (ifNoneMatch != null) {
            if (EntityTags.isWildcard(ifNoneMatch) || EntityTags.anyMatches(ifNoneMatch, meta.etag(), false)) {
                return safe ? Outcome.NOT_MODIFIED : Outcome.FAILED;
            }
        } else if (safe) {
            long since = singleDate(headers, "If-Modified-Since");
            if (since >= 0 && lastModified <= since) {
                return Outcome.NOT_MODIFIED;
            }
        }
        return Outcome.PROCEED;
    }

    /**
     * Step 5: whether a Range header may be honoured. Without If-Range, yes; with it, only when its entity-tag
     * matches strongly or its date equals Last-Modified exactly (§13.1.5); otherwise the whole file is sent.
     */
    static boolean rangeApplies(Headers headers, FileMeta meta) {
        String ifRange = headers.get("If-Range");
        if (ifRange == null) {
            return true;
        }
        if (headers.count("If-Range") > 1) {
            return false;
        }
        if (EntityTags.looksLikeTag(ifRange)) {
            return ifRange.trim().equals(meta.etag());
        }
        long date = parseDate(ifRange);
        return date >= 0 && date == meta.lastModifiedSecondsMillis();
    }

    private static String joined(Headers headers, String name) {
        List<String> values = headers.all(name);
        if (values.isEmpty()) {
            return null;
        }
        return values.size() == 1 ? values.get(0) : String.join(",", values);
    }

    /** The date of a field that must hold exactly one valid HTTP-date, or -1 to ignore it (§13.1.3-4). */
    private static long singleDate(Headers headers, String name) {
        String value = headers.get(name);
        if (value == null || headers.count(name) > 1) {
            return -1;
        }
        return parseDate(value);
    }

    private static long parseDate(String value) {
        try {
            return HttpDate.parse(value.trim());
        } catch (RuntimeException e) {
            return -1;
        }
    }
}
