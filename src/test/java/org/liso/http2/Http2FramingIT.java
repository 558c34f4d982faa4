package org.liso.http2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.liso.http2.ConformanceServer.connectionError;
import static org.liso.http2.ConformanceServer.hex;
import static org.liso.http2.ConformanceServer.stillAlive;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RFC 9113 §3 (starting HTTP/2: the preface) and §4 (the frame format: unknown types and flags, sizes, header
 * blocks) against the real server; see {@link ConformanceServer} for how every conformance case is checked.
 */
class Http2FramingIT {
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
    class StartingHttp2 { // §3
        @Test
        void aGetIsAnsweredWithHeadersAndData() throws Exception {
            try (WireClient c = server.ready()) {
                c.get(1, "/").send();
                assertThat(c.until("HEADERS 1")).contains(":status=200", "content-length=14");
                assertThat(c.until("DATA 1")).isEqualTo("DATA 1 14 END");
            }
        }

        @Test
        void anInvalidPrefaceIsAConnectionError() throws Exception { // §3.4
            try (WireClient c = WireClient.open(server.port())) {
                c.raw("PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n".getBytes()).send();
                c.toClose(); // answered as HTTP/1.1 or GOAWAY: never served as HTTP/2
            }
        }

        @Test
        void aPrefaceNotFollowedBySettingsIsAConnectionError() throws Exception { // §3.4
            try (WireClient c = WireClient.open(server.port())) {
                c.raw(ServerSession.PREFACE).ping(1).send();
                connectionError(c, ErrorCode.PROTOCOL_ERROR);
            }
        }
    }

    @Nested
    class FrameFormat { // §4
        @Test
        void anUnknownFrameTypeIsIgnored() throws Exception { // §4.1, §5.5
            try (WireClient c = server.ready()) {
                c.frame(0x16, 0, 0, "0102030405").send();
                stillAlive(c);
            }
        }

        @Test
        void unknownFlagsAreIgnored() throws Exception { // §4.1
            try (WireClient c = server.ready()) {
                c.frame(FrameType.PING, 0x16, 0, "0000000000000001").send();
                c.until("PING 0 ACK 1");
            }
        }

        @Test
        void theReservedBitIsIgnored() throws Exception { // §4.1
            try (WireClient c = server.ready()) {
                c.raw(hex("000008 06 00 80000000 0000000000000002")).send();
                c.until("PING 0 ACK 2");
            }
        }

        @Test
        void dataLongerThanMaxFrameSizeIsAFrameSizeError() throws Exception { // §4.2
            try (WireClient c = server.ready()) {
                c.headers(1, false, ":method=POST", ":scheme=http", ":path=/", ":authority=x")
                        .data(1, new byte[16_385], true).send();
                connectionError(c, ErrorCode.FRAME_SIZE_ERROR);
            }
        }

        @Test
        void headersLongerThanMaxFrameSizeIsAConnectionFrameSizeError() throws Exception { // §4.2
            try (WireClient c = server.ready()) {
                c.frame(FrameType.HEADERS, FrameType.FLAG_END_HEADERS | FrameType.FLAG_END_STREAM, 1,
                        new byte[16_385]).send();
                connectionError(c, ErrorCode.FRAME_SIZE_ERROR);
            }
        }

        @Test
        void anInvalidHeaderBlockIsACompressionError() throws Exception { // §4.3
            try (WireClient c = server.ready()) {
                c.frame(FrameType.HEADERS, FrameType.FLAG_END_HEADERS | FrameType.FLAG_END_STREAM, 1, "ff").send();
                connectionError(c, ErrorCode.COMPRESSION_ERROR);
            }
        }

        @Test
        void aPriorityFrameInsideAHeaderBlockIsAProtocolError() throws Exception { // §4.3
            try (WireClient c = server.ready()) {
                byte[] b = c.block(":method=GET", ":scheme=http", ":path=/", ":authority=x");
                c.frame(FrameType.HEADERS, FrameType.FLAG_END_STREAM, 1, b)
                        .frame(FrameType.PRIORITY, 0, 1, "0000000010").send();
                connectionError(c, ErrorCode.PROTOCOL_ERROR);
            }
        }
    }
}
