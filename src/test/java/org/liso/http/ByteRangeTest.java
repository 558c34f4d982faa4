package org.liso.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ByteRangeTest {

    private static String range(String header, long length) {
        ByteRange r = ByteRange.parse(header, length);
        return r == null ? "ignore" : r.contentRange();
    }

    @Test
    void singleRanges() {
        assertThat(range("bytes=0-0", 10000)).isEqualTo("bytes 0-0/10000");
        assertThat(range("bytes=-500", 10000)).isEqualTo("bytes 9500-9999/10000");
        assertThat(range("bytes=9500-", 10000)).isEqualTo("bytes 9500-9999/10000");
        assertThat(range("bytes=0-99999", 10000)).isEqualTo("bytes 0-9999/10000");
        assertThat(range("bytes=-20000", 10000)).isEqualTo("bytes 0-9999/10000");
        assertThat(range("bytes=500-999", 10000)).isEqualTo("bytes 500-999/10000");
        assertThat(range("BYTES=1-2", 10)).isEqualTo("bytes 1-2/10");
        ByteRange r = ByteRange.parse("bytes=100-199", 1000);
        assertThat(r.satisfiable()).isTrue();
        assertThat(r.first()).isEqualTo(100);
        assertThat(r.last()).isEqualTo(199);
        assertThat(r.length()).isEqualTo(100);
    }

    @Test
    void unsatisfiable() {
        assertThat(range("bytes=10000-", 10000)).isEqualTo("bytes */10000");
        assertThat(range("bytes=20000-30000", 10000)).isEqualTo("bytes */10000");
        assertThat(range("bytes=-0", 10000)).isEqualTo("bytes */10000");
        assertThat(range("bytes=0-", 0)).isEqualTo("bytes */0");
        assertThat(range("bytes=-5", 0)).isEqualTo("bytes */0");
        assertThat(range("bytes=99999999999999999999999-", 10)).isEqualTo("bytes */10");
        ByteRange r = ByteRange.parse("bytes=10-", 10);
        assertThat(r.satisfiable()).isFalse();
        assertThat(r.length()).isZero();
    }

    @Test
    void hugeNumbersClampInsteadOfOverflowing() {
        assertThat(range("bytes=5-99999999999999999999999", 10)).isEqualTo("bytes 5-9/10");
        assertThat(range("bytes=-99999999999999999999999", 10)).isEqualTo("bytes 0-9/10");
    }

    @Test
    void ignoredHeaders() {
        String[] ignored = {"bytes=500-400", "bytes=0-1,5-6", "bytes=0-1, -5", "items=0-1", "bytes 0-1", "bytes=",
            "bytes=-", "bytes=a-b", "bytes=1-2-3", "bytes = 0-1", "bytes=0 - 1", "bytes=+1-2", "bytes=0x1-2",
            "bytes=,", "bytes=1", "bytesx=1-2", ""};
        for (String h : ignored) {
            assertThat(range(h, 10000)).as(h).isEqualTo("ignore");
        }
        assertThat(ByteRange.parse(null, 10)).isNull();
    }

    @Test
    void listWhitespaceAndEmptyElementsAreAllowed() {
        assertThat(range("bytes= 0-1 ", 10)).isEqualTo("bytes 0-1/10");
        assertThat(range("bytes=\t2-3\t", 10)).isEqualTo("bytes 2-3/10");
        assertThat(range("bytes=, 0-1 ,", 10)).isEqualTo("bytes 0-1/10");
    }
}
