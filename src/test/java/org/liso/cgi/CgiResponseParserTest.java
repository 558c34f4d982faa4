package org.liso.cgi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.liso.http.Headers;
import org.liso.http.HttpException;

class CgiResponseParserTest {

    /** A head plus what follows it, parsed in two pieces split at {@code split}; returns head and the body bytes. */
    private record Parsed(CgiHead head, String body) {
    }

    private static Parsed parseSplit(String output, int split) throws HttpException {
        byte[] all = output.getBytes(StandardCharsets.ISO_8859_1);
        CgiResponseParser p = new CgiResponseParser(CgiResponseParser.DEFAULT_MAX_HEAD);
        ByteBuffer first = ByteBuffer.wrap(all, 0, split);
        CgiHead head = p.parse(first);
        ByteBuffer rest;
        if (head == null) {
            assertThat(first.hasRemaining()).isFalse();
            rest = ByteBuffer.wrap(all, split, all.length - split);
            head = p.parse(rest);
        } else {
            rest = ByteBuffer.wrap(all, first.position(), all.length - first.position());
        }
        if (head == null) {
            return null;
        }
        return new Parsed(head, StandardCharsets.ISO_8859_1.decode(rest).toString());
    }

    /** Every split point gives the same head and the same body start as parsing in one piece. */
    private static Parsed parseEverySplit(String output) throws HttpException {
        Parsed whole = parseSplit(output, output.length());
        if (whole == null) {
            whole = parseSplit(output, 0);
        }
        for (int i = 0; i <= output.length(); i++) {
            Parsed p = parseSplit(output, i);
            assertThat(p).as("split at %d", i).isNotNull();
            assertThat(p.head().status()).as("split at %d", i).isEqualTo(whole.head().status());
            assertThat(p.head().nph()).isEqualTo(whole.head().nph());
            assertThat(fields(p.head().headers())).as("split at %d", i).isEqualTo(fields(whole.head().headers()));
            assertThat(p.body()).as("split at %d", i).isEqualTo(whole.body());
        }
        return whole;
    }

    private static List<String> fields(Headers h) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < h.size(); i++) {
            out.add(h.name(i) + ": " + h.value(i));
        }
        return out;
    }

    @Test
    void documentResponseWithLfLines() throws HttpException {
        Parsed p = parseEverySplit("Content-Type: text/html\nX-Extra:  a b \n\n<p>hi</p>\n");
        assertThat(p.head().status()).isEqualTo(200);
        assertThat(p.head().nph()).isFalse();
        assertThat(fields(p.head().headers())).containsExactly("Content-Type: text/html", "X-Extra: a b");
        assertThat(p.body()).isEqualTo("<p>hi</p>\n");
    }

    @Test
    void documentResponseWithCrlfLines() throws HttpException {
        Parsed p = parseEverySplit("Content-type: text/plain\r\nContent-Length: 2\r\n\r\nok");
        assertThat(p.head().status()).isEqualTo(200);
        assertThat(fields(p.head().headers())).containsExactly("Content-type: text/plain", "Content-Length: 2");
        assertThat(p.body()).isEqualTo("ok");
    }

    @Test
    void statusFieldSetsTheCodeAndIsNotSent() throws HttpException {
        Parsed p = parseEverySplit("Status: 404 Not Here\r\nContent-Type: text/plain\r\n\r\nnope");
        assertThat(p.head().status()).isEqualTo(404);
        assertThat(fields(p.head().headers())).containsExactly("Content-Type: text/plain");
    }

    @Test
    void statusWithoutReasonAndWithoutBody() throws HttpException {
        assertThat(parseEverySplit("Status: 204\n\n").head().status()).isEqualTo(204);
    }

    @Test
    void locationToAUrlIsAClientRedirect() throws HttpException {
        Parsed p = parseEverySplit("Location: http://example.test/x\r\n\r\n");
        assertThat(p.head().status()).isEqualTo(302);
        assertThat(p.head().headers().get("Location")).isEqualTo("http://example.test/x");
    }

    @Test
    void locationToAPathIsAnsweredAsA302() throws HttpException {
        Parsed p = parseEverySplit("Location: /elsewhere?q=1\n\n");
        assertThat(p.head().status()).isEqualTo(302);
        assertThat(p.head().headers().get("Location")).isEqualTo("/elsewhere?q=1");
    }

    @Test
    void locationWithStatusKeepsTheStatus() throws HttpException {
        Parsed p = parseEverySplit("Status: 301 Moved\nLocation: /new\nContent-Type: text/html\n\nmoved");
        assertThat(p.head().status()).isEqualTo(301);
        assertThat(p.body()).isEqualTo("moved");
    }

    @Test
    void nphStatusLineAndFieldsPassedOn() throws HttpException {
        Parsed p = parseEverySplit("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5\r\n"
                + "Set-Cookie: a=1\r\nSet-Cookie: b=2\r\nServer: ancient/1\r\nDate: x\r\nConnection: close\r\n\r\nhello");
        assertThat(p.head().nph()).isTrue();
        assertThat(p.head().status()).isEqualTo(200);
        assertThat(fields(p.head().headers())).containsExactly("Content-Type: text/html", "Content-Length: 5",
                "Set-Cookie: a=1", "Set-Cookie: b=2");
        assertThat(p.body()).isEqualTo("hello");
    }

    @Test
    void aPassthroughParserLeavesAnNphHeadsFieldsAsWritten() throws HttpException {
        String head = "HTTP/1.1 200 OK\r\nServer: script/1\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n"
                + "Content-Length: 1\r\nContent-Length: 2\r\n\r\n";
        // The script's own framing goes to the client unmodified, so it is not the parser's to judge...
        CgiHead nph = new CgiResponseParser(1024, true).parse(ascii(head + "5\r\nhello"));
        assertThat(nph.nph()).isTrue();
        assertThat(nph.status()).isEqualTo(200);
        assertThat(fields(nph.headers())).containsExactly("Server: script/1", "Transfer-Encoding: chunked",
                "Connection: close", "Content-Length: 1", "Content-Length: 2");
        assertThatThrownBy(() -> new CgiResponseParser(1024).parse(ascii(head)))
                .as("...while the server that frames it refuses it").isInstanceOf(HttpException.class);
        // ...but the head's syntax still is, and a CGI-style head is checked as always.
        for (String bad : new String[] {"HTTP/1.1 20 OK\r\n\r\n", "HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n",
                "Content-Type: text/plain\nTransfer-Encoding: chunked\n\n"}) {
            assertThatThrownBy(() -> new CgiResponseParser(1024, true).parse(ascii(bad))).as(bad)
                    .isInstanceOf(HttpException.class);
        }
    }

    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void nphHttp10WithoutReasonAndWithoutContentType() throws HttpException {
        Parsed p = parseEverySplit("HTTP/1.0 404\n\n");
        assertThat(p.head().status()).isEqualTo(404);
        assertThat(p.head().headers().size()).isZero();
    }

    @Test
    void bodyBytesAfterTheHeadAreLeftUntouched() throws HttpException {
        Parsed p = parseEverySplit("Content-Type: application/octet-stream\n\n\n\r\n\u00ff\u0000binary");
        assertThat(p.body()).isEqualTo("\n\r\n\u00ff\u0000binary");
    }

    @Test
    void obsTextInValuesIsKept() throws HttpException {
        Parsed p = parseEverySplit("Content-Type: text/plain\nX-Name: caf\u00e9\n\n");
        assertThat(p.head().headers().get("X-Name")).isEqualTo("caf\u00e9");
    }

    @Test
    void incompleteHeadAsksForMore() throws HttpException {
        CgiResponseParser p = new CgiResponseParser(1024);
        assertThat(p.started()).isFalse();
        assertThat(p.parse(ByteBuffer.wrap("Content-Type: text/plain\r\n\r".getBytes(StandardCharsets.US_ASCII))))
                .isNull();
        assertThat(p.started()).isTrue();
        assertThat(p.parse(ByteBuffer.wrap("\n".getBytes(StandardCharsets.US_ASCII)))).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "hello world\n\n",                               // no colon
            "<html><body>oops</body></html>\n\n",            // a body without any head
            "\nContent-Type: text/plain\n\n",                // empty first line
            "\r\n\r\n",
            "X-Only: nothing the CGI spec needs\n\n",        // no Content-Type, Status or Location
            "Status: abc\nContent-Type: text/plain\n\n",
            "Status: 99\nContent-Type: text/plain\n\n",
            "Status: 100 Continue\n\n",                      // not a final status
            "Status: 600 Nope\n\n",
            "Status: 2000\n\n",
            "Status: 200\nStatus: 404\n\n",
            "Content-Type: text/plain\n continued\n\n",      // obs-fold
            "Bad Name: x\nContent-Type: text/plain\n\n",
            ": empty name\n\n",
            "Content-Type: text/plain\nX: a\u0001b\n\n",    // control character
            "Content-Type: text/plain\nX: a\rb\n\n",         // bare CR
            "Content-Type: text/plain\nContent-Length: 12x\n\n",
            "Content-Type: text/plain\nContent-Length: 1\nContent-Length: 2\n\n",
            "Content-Type: text/plain\nTransfer-Encoding: chunked\n\n",
            "HTTP/2 200 OK\n\n",
            "HTTP/1.1 200OK\n\n",
            "HTTP/1.1 20 OK\n\n",
            "HTTP/1.2 200 OK\n\n",
            "HTTP/1.1 099 Early\n\n"})
    void garbageIsABadGatewayAtEverySplit(String output) {
        for (int i = 0; i <= output.length(); i++) {
            int split = i;
            assertThatThrownBy(() -> parseSplit(output, split)).as("%s split at %d", output, split)
                    .isInstanceOf(HttpException.class)
                    .satisfies(e -> assertThat(((HttpException) e).status()).isEqualTo(502));
        }
    }

    @Test
    void oversizeHeadIsABadGateway() throws HttpException {
        CgiResponseParser p = new CgiResponseParser(1000);
        String head = "Content-Type: text/plain\nX-Big: " + "a".repeat(2000) + "\n\n";
        assertThatThrownBy(() -> p.parse(ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII))))
                .isInstanceOf(HttpException.class)
                .satisfies(e -> assertThat(((HttpException) e).status()).isEqualTo(502));
        CgiResponseParser exact = new CgiResponseParser(1000);
        String fits = "Content-Type: text/plain\nX: " + "b".repeat(1000 - 25 - 3 - 2) + "\n\n";
        assertThat(fits.length()).isEqualTo(1000);
        assertThat(exact.parse(ByteBuffer.wrap(fits.getBytes(StandardCharsets.US_ASCII)))).isNotNull();
    }

    @Test
    void endlessOutputWithoutNewlineIsCutAtTheLimit() {
        CgiResponseParser p = new CgiResponseParser(CgiResponseParser.DEFAULT_MAX_HEAD);
        byte[] chunk = new byte[4096];
        java.util.Arrays.fill(chunk, (byte) 'x');
        assertThatThrownBy(() -> {
            for (int i = 0; i < 100; i++) {
                p.parse(ByteBuffer.wrap(chunk));
            }
        }).isInstanceOf(HttpException.class);
    }
}
