package org.liso.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.liso.files.Preconditions.Outcome.FAILED;
import static org.liso.files.Preconditions.Outcome.NOT_MODIFIED;
import static org.liso.files.Preconditions.Outcome.PROCEED;

import org.junit.jupiter.api.Test;
import org.liso.http.Headers;
import org.liso.http.HttpDate;
import org.liso.http.Method;

/** RFC 9110 §13.2.2, step by step, on a file last modified at {@link #MTIME} (plus a fraction of a second). */
class PreconditionsTest {
    private static final long MTIME = 1_700_000_000_000L;
    private static final String ETAG = "\"abc-400-1\"";
    private static final FileMeta META = new FileMeta(1024, MTIME * 1_000_000L + 250_000_000L, null, ETAG,
            HttpDate.format(MTIME), "text/plain; charset=utf-8");
    private static final String AT = HttpDate.format(MTIME);
    private static final String BEFORE = HttpDate.format(MTIME - 1000);
    private static final String AFTER = HttpDate.format(MTIME + 1000);

    private static Preconditions.Outcome eval(Method m, String... fields) {
        Headers h = new Headers();
        for (int i = 0; i < fields.length; i += 2) {
            h.add(fields[i], fields[i + 1]);
        }
        return Preconditions.evaluate(m, h, META);
    }

    @Test
    void noConditionsProceed() {
        assertThat(eval(Method.GET)).isEqualTo(PROCEED);
    }

    @Test
    void ifMatchUsesStrongComparison() {
        assertThat(eval(Method.GET, "If-Match", ETAG)).isEqualTo(PROCEED);
        assertThat(eval(Method.GET, "If-Match", "*")).isEqualTo(PROCEED);
        assertThat(eval(Method.GET, "If-Match", "\"x\", " + ETAG)).isEqualTo(PROCEED);
        assertThat(eval(Method.GET, "If-Match", "W/" + ETAG)).isEqualTo(FAILED);
        assertThat(eval(Method.GET, "If-Match", "\"x\"")).isEqualTo(FAILED);
    }

    @Test
    void ifUnmodifiedSinceOnlyWithoutIfMatch() {
        assertThat(eval(Method.GET, "If-Unmodified-Since", AT)).isEqualTo(PROCEED);
        assertThat(eval(Method.GET, "If-Unmodified-Since", AFTER)).isEqualTo(PROCEED);
        assertThat(eval(Method.GET, "If-Unmodified-Since", BEFORE)).isEqualTo(FAILED);
        assertThat(eval(Method.GET, "If-Match", ETAG, "If-Unmodified-Since", BEFORE)).isEqualTo(PROCEED);
        assertThat(eval(Method.GET, "If-Unmodified-Since", "yesterday")).as("invalid date is ignored")
                .isEqualTo(PROCEED);
    }

    @Test
    void ifNoneMatchUsesWeakComparisonAndGives304ForGetAndHead() {
        assertThat(eval(Method.GET, "If-None-Match", ETAG)).isEqualTo(NOT_MODIFIED);
        assertThat(eval(Method.HEAD, "If-None-Match", "W/" + ETAG)).isEqualTo(NOT_MODIFIED);
        assertThat(eval(Method.GET, "If-None-Match", "\"a\", \"b\", " + ETAG)).isEqualTo(NOT_MODIFIED);
        assertThat(eval(Method.GET, "If-None-Match", "*")).isEqualTo(NOT_MODIFIED);
        assertThat(eval(Method.GET, "If-None-Match", "\"stale\"")).isEqualTo(PROCEED);
        assertThat(eval(Method.POST, "If-None-Match", ETAG)).as("unsafe method").isEqualTo(FAILED);
    }

    @Test
    void ifNoneMatchAcrossSeveralFieldLines() {
        assertThat(eval(Method.GET, "If-None-Match", "\"a\"", "If-None-Match", ETAG)).isEqualTo(NOT_MODIFIED);
    }

    @Test
    void ifModifiedSinceComparesWholeSeconds() {
        assertThat(eval(Method.GET, "If-Modified-Since", AT)).as("same second, fraction ignored")
                .isEqualTo(NOT_MODIFIED);
        assertThat(eval(Method.GET, "If-Modified-Since", AFTER)).isEqualTo(NOT_MODIFIED);
        assertThat(eval(Method.GET, "If-Modified-Since", BEFORE)).isEqualTo(PROCEED);
        assertThat(eval(Method.GET, "If-Modified-Since", "not a date")).isEqualTo(PROCEED);
        assertThat(eval(Method.GET, "If-Modified-Since", AT, "If-Modified-Since", AT)).as("two members: ignored")
                .isEqualTo(PROCEED);
        assertThat(eval(Method.POST, "If-Modified-Since", AT)).as("GET and HEAD only").isEqualTo(PROCEED);
    }

    @Test
    void ifNoneMatchTakesPrecedenceOverIfModifiedSince() {
        assertThat(eval(Method.GET, "If-None-Match", "\"stale\"", "If-Modified-Since", AFTER)).isEqualTo(PROCEED);
        assertThat(eval(Method.GET, "If-None-Match", ETAG, "If-Modified-Since", BEFORE)).isEqualTo(NOT_MODIFIED);
    }

    @Test
    void ifMatchIsEvaluatedBeforeIfNoneMatch() {
        assertThat(eval(Method.GET, "If-Match", "\"x\"", "If-None-Match", ETAG)).isEqualTo(FAILED);
        assertThat(eval(Method.GET, "If-Unmodified-Since", BEFORE, "If-None-Match", ETAG)).isEqualTo(FAILED);
    }

    @Test
    void ifRangeWithStrongTagOrExactDate() {
        assertThat(range()).isTrue();
        assertThat(range("If-Range", ETAG)).isTrue();
        assertThat(range("If-Range", "W/" + ETAG)).as("weak tags never match").isFalse();
        assertThat(range("If-Range", "\"other\"")).isFalse();
        assertThat(range("If-Range", AT)).isTrue();
        assertThat(range("If-Range", AFTER)).as("dates must match exactly").isFalse();
        assertThat(range("If-Range", BEFORE)).isFalse();
        assertThat(range("If-Range", "garbage")).isFalse();
    }

    private static boolean range(String... fields) {
        Headers h = new Headers();
        for (int i = 0; i < fields.length; i += 2) {
            h.add(fields[i], fields[i + 1]);
        }
        return Preconditions.rangeApplies(h, META);
    }
}
