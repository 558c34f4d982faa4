package org.liso.http;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class ResponseHeadTest {

    private static String text(ByteBuffer b) {
        b.flip();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return new String(bytes, ISO_8859_1);
    }

    @Test
    void writesStatusLineFieldsAndEmptyLine() {
        Headers h = new Headers();
        h.add("Server", "liso/1");
        h.add("Content-Length", "5");
        h.add("X-Latin", "caf\u00e9");
        ByteBuffer out = ByteBuffer.allocate(256);
        ResponseHead.write(200, h, out);
        String expected = "HTTP/1.1 200 OK\r\nServer: liso/1\r\nContent-Length: 5\r\nX-Latin: caf\u00e9\r\n\r\n";
        assertThat(out.position()).isEqualTo(ResponseHead.size(200, h)).isEqualTo(expected.length());
        assertThat(text(out)).isEqualTo(expected);
    }

    @Test
    void preEncodedLinesGoInWhereTheyAreAskedForByteForByteAsFieldsWould() {
        Headers server = new Headers();
        server.add("Date", "Tue, 01 Dec 2026 18:00:00 GMT");
        server.add("Server", "liso/1");
        byte[] lines = ResponseHead.fieldLines(server);
        Headers h = new Headers();
        h.add("Content-Type", "text/plain");
        h.add("Content-Length", "5");
        ByteBuffer out = ByteBuffer.allocate(256);
        ResponseHead.write(200, h, 1, lines, out);
        Headers all = new Headers();
        all.add("Content-Type", "text/plain");
        all.add("Date", "Tue, 01 Dec 2026 18:00:00 GMT");
        all.add("Server", "liso/1");
        all.add("Content-Length", "5");
        ByteBuffer expected = ByteBuffer.allocate(256);
        ResponseHead.write(200, all, expected);
        assertThat(text(out)).isEqualTo(text(expected)).startsWith("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nDate: ");
        ByteBuffer direct = ByteBuffer.allocateDirect(256);
        ResponseHead.write(200, h, 2, lines, direct);
        assertThat(text(direct)).endsWith("Content-Length: 5\r\nDate: Tue, 01 Dec 2026 18:00:00 GMT\r\nServer: liso/1\r\n\r\n");
    }

    @Test
    void preEncodedLinesAreCheckedAsFieldsAre() {
        Headers bad = new Headers();
        bad.add("X-Split", "a\r\nSet-Cookie: evil");
        assertThatThrownBy(() -> ResponseHead.fieldLines(bad)).isInstanceOf(IllegalArgumentException.class);
        ByteBuffer tight = ByteBuffer.allocate(ResponseHead.size(200, new Headers()) + 3);
        assertThatThrownBy(() -> ResponseHead.write(200, new Headers(), 0, new byte[4], tight))
                .isInstanceOf(BufferOverflowException.class);
        assertThat(tight.position()).isZero();
    }

    @Test
    void reasonPhrases() {
        ByteBuffer out = ByteBuffer.allocate(64);
        ResponseHead.write(431, new Headers(), out);
        assertThat(text(out)).isEqualTo("HTTP/1.1 431 Request Header Fields Too Large\r\n\r\n");
        int[] used = {100, 200, 204, 206, 301, 304, 400, 403, 404, 405, 408, 411, 413, 414, 416, 431, 500, 501, 502,
            503, 504, 505};
        for (int code : used) {
            assertThat(Status.reason(code)).as("%d", code).isNotEqualTo("Unknown");
        }
        assertThat(Status.reason(413)).isEqualTo("Content Too Large");
        assertThat(Status.reason(599)).isEqualTo("Unknown");
    }

    @Test
    void writesNothingWhenItDoesNotFit() {
        Headers h = new Headers();
        h.add("A", "b");
        ByteBuffer out = ByteBuffer.allocate(ResponseHead.size(404, h) - 1);
        assertThatThrownBy(() -> ResponseHead.write(404, h, out)).isInstanceOf(BufferOverflowException.class);
        assertThat(out.position()).isZero();
    }

    @Test
    void refusesResponseSplitting() {
        Headers h = new Headers();
        h.add("Location", "/x\r\nSet-Cookie: evil");
        ByteBuffer out = ByteBuffer.allocate(256);
        assertThatThrownBy(() -> ResponseHead.write(302, h, out)).isInstanceOf(IllegalArgumentException.class);
        assertThat(out.position()).isZero();
        Headers badName = new Headers();
        badName.add("Bad Name", "v");
        assertThatThrownBy(() -> ResponseHead.write(200, badName, out)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ResponseHead.size(99, new Headers())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void checkRefusesWhatWriteRefusesWithoutWriting() {
        Headers fine = new Headers();
        fine.add("Content-Type", "text/plain; charset=\u00e9"); // obs-text is field content (RFC 9110 §5.5)
        ResponseHead.check(200, fine);
        for (String[] bad : new String[][] {{"X-Note", "split\r\nSet-Cookie: x"}, {"X-Note", "bell\u0007"},
                {"X-Note", "nul\u0000"}, {"X-Note", "wide\u0100"}, {"Bad Name", "v"}, {"", "v"}}) {
            Headers h = new Headers();
            h.add(bad[0], bad[1]);
            assertThatThrownBy(() -> ResponseHead.check(200, h)).as(bad[0] + ": " + bad[1])
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> ResponseHead.write(200, h, ByteBuffer.allocate(256)))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> ResponseHead.check(600, fine)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void chunkedEncoderBytes() {
        assertThat(text(ByteBuffer.allocate(16).put(ChunkedEncoder.header(1)))).isEqualTo("1\r\n");
        assertThat(text(ByteBuffer.allocate(16).put(ChunkedEncoder.header(0x1a2b)))).isEqualTo("1a2b\r\n");
        assertThat(text(ByteBuffer.allocate(16).put(ChunkedEncoder.header(Integer.MAX_VALUE))))
                .isEqualTo("7fffffff\r\n");
        assertThat(text(ByteBuffer.allocate(16).put(ChunkedEncoder.trailer()))).isEqualTo("\r\n");
        assertThat(text(ByteBuffer.allocate(16).put(ChunkedEncoder.last()))).isEqualTo("0\r\n\r\n");
        assertThat(text(ByteBuffer.allocate(16).put(ChunkedEncoder.last()))).isEqualTo("0\r\n\r\n");
        assertThatThrownBy(() -> ChunkedEncoder.header(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void encoderOutputDecodesBack() throws Exception {
        ByteBuffer wire = ByteBuffer.allocate(256);
        for (String part : new String[] {"hello", " ", "chunked world"}) {
            wire.put(ChunkedEncoder.header(part.length())).put(part.getBytes(ISO_8859_1))
                    .put(ChunkedEncoder.trailer());
        }
        wire.put(ChunkedEncoder.last()).flip();
        ByteBuffer body = ByteBuffer.allocate(64);
        assertThat(new ChunkedDecoder(64).decode(wire, body)).isTrue();
        assertThat(text(body)).isEqualTo("hello chunked world");
    }
}
