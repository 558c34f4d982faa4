package org.liso.http;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Limits, resumption and buffer handling of {@link RequestParser} (the corpus covers the syntax rules). */
class RequestParserTest {

    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(ISO_8859_1));
    }

    @Test
    void tooLongRequestLineIs414AssoonAsTheLimitIsPassedWithoutALineEnd() throws Exception {
        RequestParser p = new RequestParser(RequestLimits.DEFAULT.withMaxRequestLine(100));
        assertThat(p.parse(ascii("GET /" + "a".repeat(95)))).isNull();
        assertThat(p.inProgress()).isTrue();
        assertThatThrownBy(() -> p.parse(ascii("b")))
                .isInstanceOfSatisfying(HttpException.class, e -> {
                    assertThat(e.status()).isEqualTo(414);
                    assertThat(e.losesFraming()).isTrue();
                });
    }

    @Test
    void methodLongerThanAnyImplementedIs501EvenPastTheLineLimit() {
        // RFC 9112 §3: a method longer than any the server implements SHOULD be 501, whatever the line's length.
        byte[] huge = ("X".repeat(100 * 1024) + " / HTTP/1.1\r\nHost: h\r\n\r\n").getBytes(ISO_8859_1);
        assertThat(Feeding.parseWhole(RequestLimits.DEFAULT, huge)).startsWith("error 501 framing=true");
        assertThat(Feeding.parse(RequestLimits.DEFAULT, huge, 10, 33, 34, 5000)).startsWith("error 501 framing=true");
        byte[] method33 = ("M".repeat(RequestLine.MAX_METHOD + 1)).getBytes(ISO_8859_1);
        assertThat(Feeding.parseBytewise(RequestLimits.DEFAULT, method33)).startsWith("error 501");
        // A long target after a short method is still 414; a 32-octet method is still a method.
        byte[] longTarget = ("GET /" + "a".repeat(9000) + " HTTP/1.1\r\n\r\n").getBytes(ISO_8859_1);
        assertThat(Feeding.parseWhole(RequestLimits.DEFAULT, longTarget)).startsWith("error 414");
        byte[] method32 = ("M".repeat(RequestLine.MAX_METHOD) + " / HTTP/1.1\r\nHost: h\r\n\r\n").getBytes(ISO_8859_1);
        assertThat(Feeding.parseBytewise(RequestLimits.DEFAULT, method32)).startsWith("ok method=" + "M".repeat(32));
    }

    @Test
    void requestLineExactlyAtTheLimitIsAccepted() throws Exception {
        RequestLimits limits = RequestLimits.DEFAULT.withMaxRequestLine(100).withMaxHeadBytes(200);
        String line = "GET /" + "a".repeat(100 - 5 - 9) + " HTTP/1.1";
        assertThat(line).hasSize(100);
        Request r = new RequestParser(limits).parse(ascii(line + "\r\nHost: h\r\n\r\n"));
        assertThat(r.target()).hasSize(100 - 5 - 9 + 1);
        assertThat(Feeding.parseWhole(limits, (line + "x\r\n").getBytes(ISO_8859_1))).startsWith("error 414");
    }

    @Test
    void headLimitCountsEveryOctetOfTheHead() throws Exception {
        String head = "GET / HTTP/1.1\r\nHost: h\r\nX: 123\r\n\r\n";
        RequestLimits exact = RequestLimits.DEFAULT.withMaxHeadBytes(head.length());
        assertThat(new RequestParser(exact).parse(ascii(head))).isNotNull();
        RequestLimits oneLess = RequestLimits.DEFAULT.withMaxHeadBytes(head.length() - 1);
        assertThat(Feeding.parseWhole(oneLess, head.getBytes(ISO_8859_1))).startsWith("error 431 framing=true");
        assertThat(Feeding.parseBytewise(oneLess, head.getBytes(ISO_8859_1))).startsWith("error 431");
    }

    @Test
    void headLimitTriggersBeforeTheFieldLineEnds() throws Exception {
        RequestParser p = new RequestParser(RequestLimits.DEFAULT.withMaxHeadBytes(64));
        assertThatThrownBy(() -> p.parse(ascii("GET / HTTP/1.1\r\nHost: h\r\nX: " + "v".repeat(100))))
                .isInstanceOfSatisfying(HttpException.class, e -> assertThat(e.status()).isEqualTo(431));
    }

    @Test
    void fieldCountLimit() throws Exception {
        RequestLimits three = RequestLimits.DEFAULT.withMaxHeaders(3);
        String ok = "GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\n\r\n";
        assertThat(new RequestParser(three).parse(ascii(ok)).headers().size()).isEqualTo(3);
        String over = "GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n";
        assertThat(Feeding.parseWhole(three, over.getBytes(ISO_8859_1))).startsWith("error 431");
    }

    @Test
    void hostIsOptionalWhenTheLimitsSaySo() throws Exception {
        RequestParser p = new RequestParser(RequestLimits.DEFAULT.withRequireHost(false));
        Request r = p.parse(ascii("GET / HTTP/1.1\r\n\r\n"));
        assertThat(r.host()).isNull();
        assertThat(r.authority()).isNull();
        assertThatThrownBy(() -> new RequestParser(RequestLimits.DEFAULT.withRequireHost(false))
                .parse(ascii("GET / HTTP/1.1\r\nHost: a b\r\n\r\n")))
                .isInstanceOfSatisfying(HttpException.class, e -> assertThat(e.status()).isEqualTo(400));
    }

    @Test
    void pipelinedRequestsComeOutOneByOneLeavingTheRestUnconsumed() throws Exception {
        ByteBuffer in = ascii("GET /1 HTTP/1.1\r\nHost: h\r\n\r\n\r\nPOST /2 HTTP/1.1\r\nHost: h\r\n"
                + "Content-Length: 2\r\n\r\nhiGET /3 HTTP/1.1\r\nHost: h\r\n\r\n");
        RequestParser p = new RequestParser(RequestLimits.DEFAULT);
        assertThat(p.parse(in).path()).isEqualTo("/1");
        assertThat(p.inProgress()).isFalse();
        Request second = p.parse(in);
        assertThat(second.path()).isEqualTo("/2");
        assertThat(second.contentLength()).isEqualTo(2);
        assertThat((char) in.get()).isEqualTo('h');
        assertThat((char) in.get()).isEqualTo('i');
        assertThat(p.parse(in).path()).isEqualTo("/3");
        assertThat(in.hasRemaining()).isFalse();
        assertThat(p.parse(in)).isNull();
    }

    @Test
    void inProgressIgnoresLeadingEmptyLines() throws Exception {
        RequestParser p = new RequestParser(RequestLimits.DEFAULT);
        assertThat(p.inProgress()).isFalse();
        assertThat(p.parse(ascii("\r\n\r"))).isNull();
        assertThat(p.inProgress()).isFalse();
        assertThat(p.parse(ascii("\nG"))).isNull();
        assertThat(p.inProgress()).isTrue();
        p.reset();
        assertThat(p.inProgress()).isFalse();
        assertThat(p.parse(ascii("GET / HTTP/1.0\r\n\r\n")).version()).isEqualTo(Version.HTTP_1_0);
    }

    @Test
    void failureIsStickyUntilReset() throws Exception {
        RequestParser p = new RequestParser(RequestLimits.DEFAULT);
        assertThatThrownBy(() -> p.parse(ascii("GET / HTTP/1.1\n"))).isInstanceOf(HttpException.class);
        assertThatThrownBy(() -> p.parse(ascii("GET / HTTP/1.1\r\nHost: h\r\n\r\n")))
                .isInstanceOfSatisfying(HttpException.class, e -> assertThat(e.getMessage()).contains("bare LF"));
        p.reset();
        assertThat(p.parse(ascii("GET / HTTP/1.1\r\nHost: h\r\n\r\n"))).isNotNull();
    }

    @Test
    void directAndReadOnlyBuffersParseLikeHeapBuffers() throws Exception {
        String text = "GET /x?y HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\nrest";
        ByteBuffer direct = ByteBuffer.allocateDirect(text.length());
        direct.put(text.getBytes(ISO_8859_1)).flip();
        Request a = new RequestParser(RequestLimits.DEFAULT).parse(direct);
        Request b = new RequestParser(RequestLimits.DEFAULT).parse(ascii(text).asReadOnlyBuffer());
        assertThat(Feeding.describe(a)).isEqualTo(Feeding.describe(b));
        assertThat(a.keepAlive()).isFalse();
        assertThat(direct.remaining()).isEqualTo(4);
    }

    @Test
    void commonNamesAreSharedConstants() throws Exception {
        Request r = new RequestParser(RequestLimits.DEFAULT)
                .parse(ascii("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n"));
        assertThat(r.methodName()).isSameAs("GET");
        assertThat(r.headers().name(0)).isSameAs("Host");
        assertThat(r.headers().value(0)).isSameAs("localhost");
        assertThat(r.headers().value(1)).isSameAs("keep-alive");
    }

    @Test
    void everyErrorNamesItsProblem() {
        for (String bad : new String[] {"GET / HTTP/1.1\r\nHost : h\r\n\r\n", "GET /#x HTTP/1.1\r\n\r\n",
            "GET / HTTP/9.9\r\n\r\n", "\n"}) {
            assertThatThrownBy(() -> new RequestParser(RequestLimits.DEFAULT).parse(ascii(bad)))
                    .isInstanceOfSatisfying(HttpException.class, e -> {
                        assertThat(e.getMessage()).isNotBlank();
                        assertThat(e.status()).isBetween(400, 599);
                    });
        }
    }

    @Test
    void floodOfEmptyLinesIsBounded() {
        RequestParser p = new RequestParser(RequestLimits.DEFAULT.withMaxHeadBytes(64));
        assertThatThrownBy(() -> p.parse(ascii("\r\n".repeat(100))))
                .isInstanceOfSatisfying(HttpException.class, e -> assertThat(e.status()).isEqualTo(400));
    }
}
