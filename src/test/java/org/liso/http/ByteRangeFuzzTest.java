package org.liso.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Invariants of {@link ByteRange#parse}: no exception, and a satisfiable range lies inside [0, length).
 * Input: 8 bytes of representation length (big-endian, sign dropped), then the header as ISO-8859-1.
 * Seeds: ByteRangeFuzzTestInputs/parse.
 */
class ByteRangeFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void parse(byte[] input) {
        if (input.length < 8) {
            return;
        }
        long length = ByteBuffer.wrap(input, 0, 8).getLong() & Long.MAX_VALUE;
        if ((input[0] & 0x80) != 0) {
            length %= 100_000;
        }
        String header = new String(input, 8, input.length - 8, StandardCharsets.ISO_8859_1);
        ByteRange r = ByteRange.parse(header, length);
        if (r == null) {
            return;
        }
        if (r.satisfiable()) {
            assertThat(r.first()).isBetween(0L, length - 1);
            assertThat(r.last()).isBetween(r.first(), length - 1);
            assertThat(r.length()).isEqualTo(r.last() - r.first() + 1);
            assertThat(r.contentRange()).isEqualTo("bytes " + r.first() + "-" + r.last() + "/" + length);
        } else {
            assertThat(r.length()).isZero();
            assertThat(r.contentRange()).isEqualTo("bytes */" + length);
        }
    }
}
