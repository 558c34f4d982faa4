package org.liso.http2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.liso.http2.ConformanceServer.connectionError;
import static org.liso.http2.ConformanceServer.stillAlive;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RFC 9113 §6.1-§6.4 and §6.10, the frames that carry a stream (DATA, HEADERS, PRIORITY, RST_STREAM, CONTINUATION),
 * against the real server; see {@link ConformanceServer} for how every conformance case is checked.
 */
class Http2FrameDefinitionsIT {
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
    class DataFrames { // §6.1
        @Test
        void dataOnStreamZeroIsAProtocolError() throws Exception {
            try (WireClient c = server.ready()) {
                c.data(0, "x".getBytes(), false).send();
                connectionError(c, ErrorCode.PROTOCOL_ERROR);
            }
        }

        @Test
        void paddingLongerThanThePayloadIsAProtocolError() throws Exception {
            try (WireClient c = server.ready()) {
                c.headers(1, false, ":method=POST", ":scheme=http", ":path=/", ":authority=x")
                        .frame(FrameType.DATA, 0x08, 1, "05 6162").send();
                connectionError(c, ErrorCode.PROTOCOL_ERROR);
            }
        }

        @Test
        void aPostWithABodyIsAnsweredByTheHandler() throws Exception {
            try (WireClient c = server.ready()) {
                c.headers(1, false, ":method=POST", ":scheme=http", ":path=/index.html", ":authority=x")
                        .data(1, "abc".getBytes(), false).data(1, "def".getBytes(), true).send();
                assertThat(c.until("HEADERS 1")).contains(":status=405");
            }
        }
    }

    @Nested
    class HeadersFrames { // §6.2
        @Test
        void headersOnStreamZeroIsAProtocolError() throws Exception {
            try (WireClient c = server.ready()) {
                c.headers(0, true, ":method=GET", ":scheme=http", ":path=/", ":authority=x").send();
                connectionError(c, ErrorCode.PROTOCOL_ERROR);
            }
        }

        @Test
        void paddingLongerThanTheBlockIsAProtocolError() throws Exception {
            try (WireClient c = server.ready()) {
                c.frame(FrameType.HEADERS, FrameType.FLAG_END_HEADERS | FrameType.FLAG_END_STREAM | 0x08, 1,
                        "10 8286").send();
                connectionError(c, ErrorCode.PROTOCOL_ERROR);
            }
        }

        @Test
        void paddedHeadersAreUnderstood() throws Exception {
            try (WireClient c = server.ready()) {
                byte[] b = c.block(":method=GET", ":scheme=http", ":path=/", ":authority=x");
                byte[] p = new byte[1 + b.length + 4];
                p[0] = 4;
                System.arraycopy(b, 0, p, 1, b.length);
                c.frame(FrameType.HEADERS, FrameType.FLAG_END_HEADERS | FrameType.FLAG_END_STREAM | 0x08, 1, p)
                        .send();
                assertThat(c.until("HEADERS 1")).contains(":status=200");
            }
        }
    }

    @Nested
    class PriorityAndRstFrames { // §6.3, §6.4
        @Test
        void priorityOnStreamZeroIsAProtocolError() throws Exception {
            try (WireClient c = server.ready()) {
                c.frame(FrameType.PRIORITY, 0, 0, "0000000110").send();
                connectionError(c, ErrorCode.PROTOCOL_ERROR);
            }
        }

        @Test
        void priorityOfTheWrongLengthIsAFrameSizeError() throws Exception {
            try (WireClient c = server.ready()) {
                c.frame(FrameType.PRIORITY, 0, 1, "00000001").send();
                assertThat(c.until(f -> f.startsWith("RST_STREAM 1") || f.startsWith("GOAWAY")))
                        .endsWith("FRAME_SIZE_ERROR");
            }
        }

        @Test
        void rstStreamOnStreamZeroIsAProtocolError() throws Exception {
            try (WireClient c = server.ready()) {
                c.rst(0, ErrorCode.CANCEL).send();
                connectionError(c, ErrorCode.PROTOCOL_ERROR);
            }
        }

        @Test
        void rstStreamOfTheWrongLengthIsAFrameSizeError() throws Exception {
            try (WireClient c = server.ready(Settings.INITIAL_WINDOW_SIZE, 0)) {
                c.get(1, "/").send();
                c.until("HEADERS 1");
                c.frame(FrameType.RST_STREAM, 0, 1, "0000000800").send();
                connectionError(c, ErrorCode.FRAME_SIZE_ERROR);
            }
        }

        @Test
        void aResetStreamIsForgottenAndTheConnectionGoesOn() throws Exception {
            try (WireClient c = server.ready(Settings.INITIAL_WINDOW_SIZE, 0)) {
                c.get(1, "/big.bin").send();
                c.until("HEADERS 1");
                c.rst(1, ErrorCode.CANCEL).windowUpdate(0, 1 << 20).send();
                stillAlive(c);
                c.settingsFrame(Settings.INITIAL_WINDOW_SIZE, 65_535).get(3, "/").send();
                assertThat(c.until("DATA 3")).isEqualTo("DATA 3 14 END");
                assertThat(c.dataOctets[1]).isZero();
            }
        }
    }

    @Nested
    class ContinuationFrames { // §6.10
        @Test
        void aBlockSplitAcrossContinuationsIsUnderstood() throws Exception {
            try (WireClient c = server.ready()) {
                byte[] b = c.block(":method=GET", ":scheme=http", ":path=/", ":authority=x", "x-a=1", "x-b=2");
                int third = b.length / 3;
                c.frame(FrameType.HEADERS, FrameType.FLAG_END_STREAM, 1, java.util.Arrays.copyOfRange(b, 0, third))
                        .frame(FrameType.CONTINUATION, 0, 1, java.util.Arrays.copyOfRange(b, third, 2 * third))
                        .frame(FrameType.CONTINUATION, FrameType.FLAG_END_HEADERS, 1,
                                java.util.Arrays.copyOfRange(b, 2 * third, b.length)).send();
                assertThat(c.until("HEADERS 1")).contains(":status=200");
            }
        }

        @Test
        void aContinuationAfterEndHeadersIsAProtocolError() throws Exception {
            try (WireClient c = server.ready(Settings.INITIAL_WINDOW_SIZE, 0)) {
                c.get(1, "/").frame(FrameType.CONTINUATION, FrameType.FLAG_END_HEADERS, 1,
                        c.block("x-a=1")).send();
                connectionError(c, ErrorCode.PROTOCOL_ERROR);
            }
        }

        @Test
        void anotherFrameInsideABlockIsAProtocolError() throws Exception {
            try (WireClient c = server.ready()) {
                c.frame(FrameType.HEADERS, FrameType.FLAG_END_STREAM, 1,
                        c.block(":method=GET", ":scheme=http", ":path=/", ":authority=x")).ping(1).send();
                connectionError(c, ErrorCode.PROTOCOL_ERROR);
            }
        }

        @Test
        void aContinuationOfAnotherStreamIsAProtocolError() throws Exception {
            try (WireClient c = server.ready()) {
                c.frame(FrameType.HEADERS, FrameType.FLAG_END_STREAM, 1,
                        c.block(":method=GET", ":scheme=http", ":path=/", ":authority=x"))
                        .frame(FrameType.CONTINUATION, FrameType.FLAG_END_HEADERS, 3, c.block("x-a=1")).send();
                connectionError(c, ErrorCode.PROTOCOL_ERROR);
            }
        }
    }
}
