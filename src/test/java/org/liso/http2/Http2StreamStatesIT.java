package org.liso.http2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.liso.http2.ConformanceServer.connectionError;
import static org.liso.http2.ConformanceServer.hex;
import static org.liso.http2.ConformanceServer.stillAlive;
import static org.liso.http2.ConformanceServer.streamError;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RFC 9113 §5.1 (stream states and identifiers, concurrency) and §5.3 (priority signals, parsed and ignored)
 * against the real server; see {@link ConformanceServer} for how every conformance case is checked.
 */
class Http2StreamStatesIT {
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
    class StreamStates { // §5.1
        @Test
        void dataOnAnIdleStreamIsAProtocolError() throws Exception {
            try (WireClient c = server.ready()) {
                c.data(1, "x".getBytes(), true).send();
                connectionError(c, ErrorCode.PROTOCOL_ERROR);
            }
        }

        @Test
        void rstStreamOnAnIdleStreamIsAProtocolError() throws Exception {
            try (WireClient c = server.ready()) {
                c.rst(1, ErrorCode.CANCEL).send();
                connectionError(c, ErrorCode.PROTOCOL_ERROR);
            }
        }

        @Test
        void windowUpdateOnAnIdleStreamIsAProtocolError() throws Exception {
            try (WireClient c = server.ready()) {
                c.windowUpdate(1, 100).send();
                connectionError(c, ErrorCode.PROTOCOL_ERROR);
            }
        }

        @Test
        void continuationOnAnIdleStreamIsAProtocolError() throws Exception {
            try (WireClient c = server.ready()) {
                c.frame(FrameType.CONTINUATION, FrameType.FLAG_END_HEADERS, 1,
                        c.block(":method=GET", ":scheme=http", ":path=/", ":authority=x")).send();
                connectionError(c, ErrorCode.PROTOCOL_ERROR);
            }
        }

        @Test
        void dataOnAHalfClosedRemoteStreamIsStreamClosed() throws Exception {
            // The answer waits for window, so the stream stays open.
            try (WireClient c = server.ready(Settings.INITIAL_WINDOW_SIZE, 0)) {
                c.get(1, "/").send();
                c.until("HEADERS 1");
                c.data(1, "x".getBytes(), true).send();
                assertThat(c.until(f -> f.startsWith("RST_STREAM 1") || f.startsWith("GOAWAY")))
                        .endsWith("STREAM_CLOSED");
            }
        }

        @Test
        void headersOnAHalfClosedRemoteStreamIsStreamClosed() throws Exception {
            try (WireClient c = server.ready(Settings.INITIAL_WINDOW_SIZE, 0)) {
                c.get(1, "/").send();
                c.until("HEADERS 1");
                c.get(1, "/").send();
                assertThat(c.until(f -> f.startsWith("RST_STREAM 1") || f.startsWith("GOAWAY")))
                        .endsWith("STREAM_CLOSED");
            }
        }

        @Test
        void dataOnAClosedStreamIsStreamClosed() throws Exception {
            try (WireClient c = server.ready()) {
                c.get(1, "/").send();
                c.until("DATA 1");
                c.data(1, "x".getBytes(), true).send();
                assertThat(c.until(f -> f.startsWith("RST_STREAM 1") || f.startsWith("GOAWAY")))
                        .endsWith("STREAM_CLOSED");
            }
        }

        @Test
        void headersOnAClosedStreamIsAConnectionError() throws Exception {
            try (WireClient c = server.ready()) {
                c.get(1, "/").send();
                c.until("DATA 1");
                c.get(1, "/").send();
                connectionError(c, ErrorCode.STREAM_CLOSED);
            }
        }

        @Test
        void anEvenStreamIdIsAProtocolError() throws Exception { // §5.1.1
            try (WireClient c = server.ready()) {
                c.get(2, "/").send();
                connectionError(c, ErrorCode.PROTOCOL_ERROR);
            }
        }

        @Test
        void aStreamIdBelowOneUsedIsAProtocolError() throws Exception { // §5.1.1
            try (WireClient c = server.ready()) {
                c.get(5, "/").send();
                c.until("DATA 5");
                c.get(3, "/").send();
                assertThat(c.goAway()).matches("GOAWAY 0 last=5 (PROTOCOL_ERROR|STREAM_CLOSED)");
            }
        }

        @Test
        void streamsBeyondMaxConcurrentAreRefused() throws Exception { // §5.1.2
            try (WireClient c = server.ready(Settings.INITIAL_WINDOW_SIZE, 0)) { // every answer waits for window
                for (int i = 0; i < 100; i++) {
                    c.get(1 + 2 * i, "/");
                }
                c.get(201, "/").send();
                streamError(c, 201, ErrorCode.REFUSED_STREAM);
                stillAlive(c);
            }
        }
    }

    @Nested
    class Priority { // §5.3
        @Test
        void headersDependingOnItselfIsAStreamError() throws Exception { // §5.3.1
            try (WireClient c = server.ready()) {
                byte[] b = c.block(":method=GET", ":scheme=http", ":path=/", ":authority=x");
                byte[] p = new byte[5 + b.length];
                System.arraycopy(hex("0000000110"), 0, p, 0, 5);
                System.arraycopy(b, 0, p, 5, b.length);
                c.frame(FrameType.HEADERS, FrameType.FLAG_END_HEADERS | FrameType.FLAG_END_STREAM | 0x20, 1, p)
                        .send();
                assertThat(c.until(f -> f.startsWith("RST_STREAM 1") || f.startsWith("GOAWAY")))
                        .endsWith("PROTOCOL_ERROR");
            }
        }

        @Test
        void priorityDependingOnItselfIsAStreamError() throws Exception {
            try (WireClient c = server.ready()) {
                c.frame(FrameType.PRIORITY, 0, 3, "0000000310").send();
                streamError(c, 3, ErrorCode.PROTOCOL_ERROR);
            }
        }

        @Test
        void priorityIsParsedAndIgnored() throws Exception {
            try (WireClient c = server.ready()) {
                c.frame(FrameType.PRIORITY, 0, 3, "0000000010").get(5, "/").send();
                c.until("DATA 5");
            }
        }
    }
}
