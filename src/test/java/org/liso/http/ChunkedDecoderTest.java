package org.liso.http;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class ChunkedDecoderTest {

    /** Decodes the pieces in turn; describes body, trailers and leftover, or the error. */
    static String decode(long max, int outSize, byte[] bytes, int... cuts) {
        ChunkedDecoder d = new ChunkedDecoder(max);
        StringBuilder body = new StringBuilder();
        ByteBuffer out = ByteBuffer.allocate(outSize);
        int leftover = 0;
        boolean done = false;
        try {
            for (ByteBuffer piece : Feeding.pieces(bytes, cuts)) {
                while (true) {
                    done = d.decode(piece, out);
                    out.flip();
                    while (out.hasRemaining()) {
                        int c = out.get() & 0xff;
                        body.append(c >= 0x20 && c < 0x7f ? Character.toString(c) : String.format("\\x%02x", c));
                    }
                    out.clear();
                    if (done || !piece.hasRemaining()) {
                        break;
                    }
                }
                if (done) {
                    leftover += piece.remaining();
                }
            }
        } catch (HttpException e) {
            return "error " + e.status() + " framing=" + e.losesFraming() + " " + e.getMessage();
        }
        return (done ? "done" : "more") + " length=" + d.decodedLength() + " body=" + body + " trailers="
                + d.trailers().toString().replace("\r\n", "|") + " leftover=" + leftover;
    }

    /** The same result whole, split at every index, one byte at a time, and through a 1-byte output buffer. */
    static String everySplit(long max, String text) {
        byte[] bytes = Escapes.decode(text);
        String whole = decode(max, 4096, bytes);
        for (int cut = 0; cut <= bytes.length; cut++) {
            assertThat(decode(max, 4096, bytes, cut)).as("split at %d of %s", cut, text).isEqualTo(whole);
        }
        int[] all = new int[Math.max(0, bytes.length - 1)];
        for (int i = 0; i < all.length; i++) {
            all[i] = i + 1;
        }
        assertThat(decode(max, 4096, bytes, all)).as("byte by byte").isEqualTo(whole);
        assertThat(decode(max, 1, bytes)).as("1-byte output").isEqualTo(whole);
        return whole;
    }

    @Test
    void simpleBodyWithRestLeftInTheBuffer() {
        assertThat(everySplit(100, "5\\r\\nhello\\r\\n6\\r\\n world\\r\\n0\\r\\n\\r\\nGET"))
                .isEqualTo("done length=11 body=hello world trailers= leftover=3");
    }

    @Test
    void hexDigitsInEitherCaseAndLeadingZeros() {
        assertThat(everySplit(100, "a\\r\\n0123456789\\r\\nA\\r\\nabcdefghij\\r\\n000\\r\\n\\r\\n"))
                .startsWith("done length=20 body=0123456789abcdefghij");
        assertThat(everySplit(1000, "0000000000000000000000001\\r\\nx\\r\\n0\\r\\n\\r\\n"))
                .startsWith("done length=1 body=x");
    }

    @Test
    void extensionsAreCheckedAndIgnored() {
        assertThat(everySplit(100, "3;a=b;c ; d = \"q\\\\\"x\"\\r\\nabc\\r\\n0;last\\r\\n\\r\\n"))
                .startsWith("done length=3 body=abc");
        assertThat(everySplit(100, "3 \\t;x\\r\\nabc\\r\\n0\\r\\n\\r\\n")).startsWith("done length=3 body=abc");
        assertThat(everySplit(100, "3;\\r\\nabc\\r\\n0\\r\\n\\r\\n")).startsWith("error 400 framing=true");
        assertThat(everySplit(100, "3;a=\\r\\nabc\\r\\n0\\r\\n\\r\\n")).startsWith("error 400");
        assertThat(everySplit(100, "3;a=\"open\\r\\nabc\\r\\n0\\r\\n\\r\\n")).startsWith("error 400");
        assertThat(everySplit(100, "3;a\\x01\\r\\nabc\\r\\n0\\r\\n\\r\\n")).startsWith("error 400");
    }

    @Test
    void oversizeExtensionIs400() {
        String ok = "1;x=" + "v".repeat(ChunkedDecoder.MAX_SIZE_LINE - 4) + "\\r\\nz\\r\\n0\\r\\n\\r\\n";
        assertThat(decode(100, 10, Escapes.decode(ok))).startsWith("done length=1 body=z");
        String tooLong = "1;x=" + "v".repeat(ChunkedDecoder.MAX_SIZE_LINE);
        assertThat(decode(100, 10, Escapes.decode(tooLong))).isEqualTo(
                "error 400 framing=true chunk-size line longer than 4096 bytes");
    }

    @Test
    void trailersAreParsedLikeFields() {
        assertThat(everySplit(100, "2\\r\\nhi\\r\\n0\\r\\nX-Sum: 12 \\r\\nX-Other:\\tb\\r\\n\\r\\nnext"))
                .isEqualTo("done length=2 body=hi trailers=X-Sum: 12|X-Other: b| leftover=4");
        assertThat(everySplit(100, "0\\r\\nX : 1\\r\\n\\r\\n")).startsWith("error 400");
        assertThat(everySplit(100, "0\\r\\nX: 1\\r\\n folded\\r\\n\\r\\n")).startsWith("error 400");
        assertThat(everySplit(100, "0\\r\\nX: 1\\n\\r\\n")).startsWith("error 400 framing=true bare LF");
        String big = "0\\r\\nX: " + "t".repeat(ChunkedDecoder.MAX_TRAILER) + "\\r\\n\\r\\n";
        assertThat(decode(100, 10, Escapes.decode(big))).startsWith("error 431");
    }

    @Test
    void syntaxErrorsAre400AndLoseFraming() {
        String[] bad = {"0x5\\r\\nhello\\r\\n0\\r\\n\\r\\n", "+5\\r\\nhello\\r\\n0\\r\\n\\r\\n", "\\r\\nhello\\r\\n",
            "-1\\r\\n", "5\\nhello\\r\\n0\\r\\n\\r\\n", "5\\r\\nhello\\n0\\r\\n\\r\\n", "5\\r\\nhelloXX0\\r\\n\\r\\n",
            "3\\r\\nhello\\r\\n", "5\\rx", "0\\r\\n\\r\\r", "0\\r\\n\\n", " 5\\r\\nhello\\r\\n0\\r\\n\\r\\n", "g\\r\\n"};
        for (String b : bad) {
            assertThat(everySplit(100, b)).as(b).startsWith("error 400 framing=true");
        }
    }

    @Test
    void whitespaceNotFollowedByAnExtensionIs400() {
        // RFC 9112 §7.1: BWS is part of chunk-ext (before ";" and around "="), never a line end of its own.
        String[] bad = {"5 \\r\\nhello\\r\\n0\\r\\n\\r\\n", "5\\t\\r\\nhello\\r\\n0\\r\\n\\r\\n",
            "3;a=b \\r\\nabc\\r\\n0\\r\\n\\r\\n", "3;a \\r\\nabc\\r\\n0\\r\\n\\r\\n", "0 \\r\\n\\r\\n"};
        for (String b : bad) {
            assertThat(everySplit(100, b)).as(b).startsWith("error 400 framing=true whitespace");
        }
        assertThat(everySplit(100, "3 ; a = b\\r\\nabc\\r\\n0\\r\\n\\r\\n")).startsWith("done length=3 body=abc");
    }

    @Test
    void chunkSizeOverflowIs400() {
        assertThat(everySplit(Long.MAX_VALUE, "10000000000000000\\r\\n")).contains("error 400")
                .contains("overflows");
        assertThat(everySplit(Long.MAX_VALUE, "FFFFFFFFFFFFFFFFFFFF\\r\\n")).contains("overflows");
        assertThat(everySplit(Long.MAX_VALUE, "7FFFFFFFFFFFFFFF\\r\\nab")).startsWith("more length=2 body=ab");
    }

    @Test
    void bodyOverTheLimitIs413AsSoonAsTheChunkIsAnnounced() {
        assertThat(everySplit(10, "5\\r\\nhello\\r\\n6\\r\\n")).isEqualTo(
                "error 413 framing=true chunked body larger than 10 bytes");
        assertThat(everySplit(10, "5\\r\\nhello\\r\\n5\\r\\nworld\\r\\n0\\r\\n\\r\\n")).startsWith("done");
        assertThat(everySplit(0, "0\\r\\n\\r\\n")).startsWith("done length=0 body= ");
    }

    @Test
    void incompleteInputAsksForMoreAndResetStartsOver() throws Exception {
        ChunkedDecoder d = new ChunkedDecoder(100);
        ByteBuffer out = ByteBuffer.allocate(16);
        assertThat(d.decode(ByteBuffer.wrap("3\r\nab".getBytes(ISO_8859_1)), out)).isFalse();
        assertThat(d.decodedLength()).isEqualTo(2);
        d.reset();
        assertThat(d.decode(ByteBuffer.wrap("0\r\n\r\n".getBytes(ISO_8859_1)), out)).isTrue();
        assertThat(d.decode(ByteBuffer.allocate(0), out)).isTrue();
    }
}
