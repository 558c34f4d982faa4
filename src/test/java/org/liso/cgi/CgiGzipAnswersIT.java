package org.liso.cgi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.testing.RawClient;

/**
 * What {@code --compress-cgi} answers, field by field: gzip with Vary for a client that takes it (RFC 9110
 * §12.5.3, §12.5.5), the script's Content-Length dropped then (never a wrong length), nothing coded for HEAD, 204,
 * 304, a script that coded its body itself, or a client whose Accept-Encoding refuses gzip (q=0), and a Range
 * request on a script's answer getting the whole 200 (a server may ignore Range, RFC 9110 §14.2), never a 206 of
 * compressed octets.
 */
class CgiGzipAnswersIT {
    @TempDir
    static Path dir;
    static GzipCgiServer server;

    @BeforeAll
    static void serve() throws Exception {
        server = GzipCgiServer.start(dir);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private static RawClient.Reply request(String method, String query, String... fields) throws Exception {
        StringBuilder r = new StringBuilder(method + " /cgi/?" + query + " HTTP/1.1\r\nHost: x\r\n");
        for (String f : fields) {
            r.append(f).append("\r\n");
        }
        r.append("Connection: close\r\n\r\n");
        List<RawClient.Reply> replies = RawClient.send(server.port(GzipCgiServer.HTTP),
                r.toString().getBytes(StandardCharsets.US_ASCII), 10_000, method.equals("HEAD")).replies();
        assertThat(replies).hasSize(1);
        return replies.get(0);
    }

    private static RawClient.Reply get(String query, String acceptEncoding) throws Exception {
        return request("GET", query, "Accept-Encoding: " + acceptEncoding);
    }

    @Test
    void aClientThatTakesGzipGetsItWithVaryAndWithoutTheScriptsLength() throws Exception {
        RawClient.Reply r = get("length-5000", "gzip, deflate");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(r.header("Vary")).isEqualTo("Accept-Encoding");
        assertThat(r.header("Content-Length")).as("the script's length is the plain body's").isNull();
        assertThat(r.header("Transfer-Encoding")).isEqualTo("chunked");
        assertThat(GzipCgiServer.gunzip(r.body())).isEqualTo(server.prefix(5000));
    }

    @Test
    void aClientThatDoesNotTakeGzipGetsTheScriptsBytesAndLengthWithVary() throws Exception {
        for (String refusing : List.of("gzip;q=0", "br", "identity", "gzip;q=0, *;q=1", "*;q=0",
                "identity;q=0", "gzip;q=0, identity;q=0")) {
            RawClient.Reply r = get("length-5000", refusing);
            // identity;q=0 without gzip listed leaves nothing acceptable: the server then sends identity anyway
            // (§12.5.3 lets it disregard the field), as it cannot answer 406 for a script that already runs.
            assertThat(r.header("Content-Encoding")).as(refusing).isNull();
            assertThat(r.header("Vary")).as(refusing).isEqualTo("Accept-Encoding");
            assertThat(r.header("Content-Length")).as(refusing).isEqualTo("5000");
            assertThat(r.body()).as(refusing).isEqualTo(server.prefix(5000));
        }
        RawClient.Reply none = request("GET", "length-5000");
        assertThat(none.header("Content-Encoding")).as("no Accept-Encoding: identity is the safe one").isNull();
        assertThat(none.body()).isEqualTo(server.prefix(5000));
    }

    @Test
    void gzipListedWithANonZeroWeightIsTaken() throws Exception {
        for (String taking : List.of("gzip;q=0.001", "x-gzip", "*", "GZIP;Q=0.5", "gzip, identity;q=0",
                "br;q=1, gzip;q=0.5")) {
            RawClient.Reply r = get("whole-3000", taking);
            assertThat(r.header("Content-Encoding")).as(taking).isEqualTo("gzip");
            assertThat(GzipCgiServer.gunzip(r.body())).as(taking).isEqualTo(server.prefix(3000));
        }
    }

    @Test
    void headGetsTheFieldsAGetWouldAndNoBody() throws Exception {
        RawClient.Reply r = request("HEAD", "length-5000", "Accept-Encoding: gzip");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(r.header("Vary")).isEqualTo("Accept-Encoding");
        assertThat(r.header("Content-Length")).isNull();
        assertThat(r.body()).isEmpty();
    }

    @Test
    void noContentAndNotModifiedAreNeverCoded() throws Exception {
        for (String q : List.of("nocontent", "notmodified")) {
            RawClient.Reply r = get(q, "gzip");
            assertThat(r.status()).isEqualTo(q.equals("nocontent") ? 204 : 304);
            assertThat(r.header("Content-Encoding")).as(q).isNull();
            assertThat(r.header("Transfer-Encoding")).as(q).isNull();
            assertThat(r.body()).as(q).isEmpty();
        }
    }

    @Test
    void aBodyTheScriptCodedItselfIsNotCodedTwice() throws Exception {
        RawClient.Reply r = get("encoded-20000", "gzip");
        assertThat(r.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(GzipCgiServer.gunzip(r.body())).as("one gzip layer").isEqualTo(server.prefix(20000));
    }

    @Test
    void aRangeRequestGetsTheWholeAnswer() throws Exception {
        RawClient.Reply coded = request("GET", "length-5000", "Accept-Encoding: gzip", "Range: bytes=0-99");
        assertThat(coded.status()).isEqualTo(200);
        assertThat(coded.header("Content-Range")).isNull();
        assertThat(GzipCgiServer.gunzip(coded.body())).isEqualTo(server.prefix(5000));
        RawClient.Reply plain = request("GET", "length-5000", "Range: bytes=0-99");
        assertThat(plain.status()).isEqualTo(200);
        assertThat(plain.header("Content-Length")).isEqualTo("5000");
        assertThat(plain.body()).isEqualTo(server.prefix(5000));
    }
}
