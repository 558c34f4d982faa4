package org.liso.http2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.liso.http2.ConformanceServer.BIG;
import static org.liso.http2.ConformanceServer.stillAlive;
import static org.liso.http2.ConformanceServer.streamError;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RFC 9113 §8 (HTTP semantics: malformed requests, content-length, connection-specific fields), §10.5.1 (a header
 * list beyond the limit) and the fairness of interleaved answers, against the real server; see
 * {@link ConformanceServer} for how every conformance case is checked.
 */
class Http2SemanticsIT {
    @TempDir
    static Path tmp;
    static ConformanceServer server;

    @BeforeAll
    static void start() throws Exception {
        server = ConformanceServer.start(tmp);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Nested
    class HttpSemantics { // §8
        private void malformed(String... fields) throws Exception {
            try (WireClient c = server.ready()) {
                c.headers(1, true, fields).send();
                streamError(c, 1, ErrorCode.PROTOCOL_ERROR);
                stillAlive(c);
            }
        }

        @Test
        void anUppercaseFieldNameIsMalformed() throws Exception { // §8.2
            malformed(":method=GET", ":scheme=http", ":path=/", ":authority=x", "X-Upper=1");
        }

        @Test
        void aConnectionSpecificFieldIsMalformed() throws Exception { // §8.2.2
            malformed(":method=GET", ":scheme=http", ":path=/", ":authority=x", "connection=keep-alive");
        }

        @Test
        void teOtherThanTrailersIsMalformed() throws Exception { // §8.2.2
            malformed(":method=GET", ":scheme=http", ":path=/", ":authority=x", "te=gzip");
        }

        @Test
        void teTrailersIsAllowed() throws Exception {
            try (WireClient c = server.ready()) {
                c.headers(1, true, ":method=GET", ":scheme=http", ":path=/", ":authority=x", "te=trailers").send();
                assertThat(c.until("HEADERS 1")).contains(":status=200");
            }
        }

        @Test
        void anUnknownPseudoHeaderIsMalformed() throws Exception { // §8.3
            malformed(":method=GET", ":scheme=http", ":path=/", ":authority=x", ":foo=bar");
        }

        @Test
        void aResponsePseudoHeaderInARequestIsMalformed() throws Exception { // §8.3
            malformed(":method=GET", ":scheme=http", ":path=/", ":authority=x", ":status=200");
        }

        @Test
        void aPseudoHeaderAfterARegularFieldIsMalformed() throws Exception { // §8.3
            malformed(":method=GET", ":scheme=http", "x-a=1", ":path=/", ":authority=x");
        }

        @Test
        void aDuplicatedPathIsMalformed() throws Exception { // §8.3.1
            malformed(":method=GET", ":scheme=http", ":path=/", ":path=/", ":authority=x");
        }

        @Test
        void aMissingMethodIsMalformed() throws Exception { // §8.3.1
            malformed(":scheme=http", ":path=/", ":authority=x");
        }

        @Test
        void aMissingSchemeIsMalformed() throws Exception { // §8.3.1
            malformed(":method=GET", ":path=/", ":authority=x");
        }

        @Test
        void aMissingPathIsMalformed() throws Exception { // §8.3.1
            malformed(":method=GET", ":scheme=http", ":authority=x");
        }

        @Test
        void anEmptyPathIsMalformed() throws Exception { // §8.3.1
            malformed(":method=GET", ":scheme=http", ":path=", ":authority=x");
        }

        @Test
        void aPseudoHeaderInTrailersIsMalformed() throws Exception { // §8.1
            // The answer waits for window, so the stream stays open.
            try (WireClient c = server.ready(Settings.INITIAL_WINDOW_SIZE, 0)) {
                c.headers(1, false, ":method=POST", ":scheme=http", ":path=/x", ":authority=x")
                        .data(1, "abc".getBytes(), false).headers(1, true, ":method=GET").send();
                assertThat(c.until(f -> f.startsWith("RST_STREAM 1") || f.startsWith("GOAWAY")))
                        .isEqualTo("RST_STREAM 1 PROTOCOL_ERROR");
                stillAlive(c);
            }
        }

        @Test
        void dataBeyondTheContentLengthIsMalformed() throws Exception { // §8.1.1
            // The answer waits for window, so the stream stays open.
            try (WireClient c = server.ready(Settings.INITIAL_WINDOW_SIZE, 0)) {
                c.headers(1, false, ":method=POST", ":scheme=http", ":path=/x", ":authority=x", "content-length=2")
                        .data(1, "abc".getBytes(), true).send();
                assertThat(c.until(f -> f.startsWith("RST_STREAM 1") || f.startsWith("GOAWAY")))
                        .isEqualTo("RST_STREAM 1 PROTOCOL_ERROR");
            }
        }

        @Test
        void dataShortOfTheContentLengthIsMalformed() throws Exception { // §8.1.1
            // The answer waits for window, so the stream stays open.
            try (WireClient c = server.ready(Settings.INITIAL_WINDOW_SIZE, 0)) {
                c.headers(1, false, ":method=POST", ":scheme=http", ":path=/x", ":authority=x", "content-length=9")
                        .data(1, "abc".getBytes(), true).send();
                assertThat(c.until(f -> f.startsWith("RST_STREAM 1") || f.startsWith("GOAWAY")))
                        .isEqualTo("RST_STREAM 1 PROTOCOL_ERROR");
            }
        }

        @Test
        void aHeadRequestGetsHeadersOnly() throws Exception {
            try (WireClient c = server.ready()) {
                c.headers(1, true, ":method=HEAD", ":scheme=http", ":path=/", ":authority=x").send();
                assertThat(c.until("HEADERS 1")).contains(":status=200", "content-length=14").endsWith(" END");
            }
        }

        @Test
        void theResponseCarriesNoConnectionSpecificFields() throws Exception { // §8.2.2
            try (WireClient c = server.ready()) {
                c.get(1, "/").send();
                String h = c.until("HEADERS 1");
                assertThat(h).doesNotContain("connection=", "keep-alive=", "transfer-encoding=")
                        .contains("date=", "server=");
            }
        }

        @Test
        void aHeaderListBeyondTheLimitIsAnswered431() throws Exception { // §10.5.1
            try (WireClient c = server.ready()) {
                String big = "v".repeat(4000);
                c.headers(1, true, ":method=GET", ":scheme=http", ":path=/", ":authority=x", "x-1=" + big,
                        "x-2=" + big, "x-3=" + big, "x-4=" + big, "x-5=" + big).send();
                assertThat(c.until("HEADERS 1")).contains(":status=431");
                stillAlive(c);
            }
        }

        @Test
        void manyStreamsAreAnsweredInterleaved() throws Exception { // fairness: one big body does not starve others
            try (WireClient c = server.ready(Settings.INITIAL_WINDOW_SIZE, 1 << 20)) {
                c.windowUpdate(0, 1 << 24).get(1, "/big.bin").get(3, "/").send();
                String small = c.until("DATA 3");
                assertThat(small).isEqualTo("DATA 3 14 END");
                assertThat(c.dataOctets[1]).isLessThan(BIG.length); // answered while the large body was under way
            }
        }
    }
}
