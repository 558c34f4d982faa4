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
 * RFC 9113 §6.5, §6.7 and §6.8, the frames of the connection itself (SETTINGS, PING, GOAWAY), against the real
 * server; see {@link ConformanceServer} for how every conformance case is checked.
 */
class Http2ConnectionControlIT {
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
    class SettingsFrames { // §6.5
        @Test
        void anAckWithAPayloadIsAFrameSizeError() throws Exception {
            try (WireClient c = server.ready()) {
                c.frame(FrameType.SETTINGS, FrameType.FLAG_ACK, 0, "000300000064").send();
                connectionError(c, ErrorCode.FRAME_SIZE_ERROR);
            }
        }

        @Test
        void settingsOnAStreamIsAProtocolError() throws Exception {
            try (WireClient c = server.ready()) {
                c.frame(FrameType.SETTINGS, 0, 1, "000300000064").send();
                connectionError(c, ErrorCode.PROTOCOL_ERROR);
            }
        }

        @Test
        void aLengthThatIsNotAMultipleOfSixIsAFrameSizeError() throws Exception {
            try (WireClient c = server.ready()) {
                c.frame(FrameType.SETTINGS, 0, 0, "0003000000").send();
                connectionError(c, ErrorCode.FRAME_SIZE_ERROR);
            }
        }

        @Test
        void enablePushAboveOneIsAProtocolError() throws Exception { // §6.5.2
            try (WireClient c = server.ready()) {
                c.settingsFrame(Settings.ENABLE_PUSH, 2).send();
                connectionError(c, ErrorCode.PROTOCOL_ERROR);
            }
        }

        @Test
        void anInitialWindowAboveTheMaximumIsAFlowControlError() throws Exception { // §6.5.2
            try (WireClient c = server.ready()) {
                c.settingsFrame(Settings.INITIAL_WINDOW_SIZE, 1L << 31).send();
                connectionError(c, ErrorCode.FLOW_CONTROL_ERROR);
            }
        }

        @Test
        void aMaxFrameSizeBelowTheMinimumIsAProtocolError() throws Exception { // §6.5.2
            try (WireClient c = server.ready()) {
                c.settingsFrame(Settings.MAX_FRAME_SIZE, 16_383).send();
                connectionError(c, ErrorCode.PROTOCOL_ERROR);
            }
        }

        @Test
        void aMaxFrameSizeAboveTheMaximumIsAProtocolError() throws Exception { // §6.5.2
            try (WireClient c = server.ready()) {
                c.settingsFrame(Settings.MAX_FRAME_SIZE, 1 << 24).send();
                connectionError(c, ErrorCode.PROTOCOL_ERROR);
            }
        }

        @Test
        void anUnknownSettingIsIgnoredAndAcknowledged() throws Exception { // §6.5.2
            try (WireClient c = server.ready()) {
                c.settingsFrame(0xff, 1).send();
                c.until("SETTINGS 0 ACK");
                stillAlive(c);
            }
        }

        @Test
        void aLargerMaxFrameSizeLetsTheServerSendLargerFrames() throws Exception {
            try (WireClient c = server.ready(Settings.MAX_FRAME_SIZE, 65_536, Settings.INITIAL_WINDOW_SIZE, 1 << 20)) {
                c.windowUpdate(0, 1 << 20).get(1, "/big.bin").send();
                c.until("HEADERS 1");
                assertThat(c.next()).isEqualTo("DATA 1 65536");
            }
        }
    }

    @Nested
    class PingAndGoAway { // §6.7, §6.8
        @Test
        void aPingIsAnsweredWithTheSameData() throws Exception {
            try (WireClient c = server.ready()) {
                c.ping(0x0102030405060708L).send();
                c.until("PING 0 ACK 102030405060708");
            }
        }

        @Test
        void aPingAckIsNotAnswered() throws Exception {
            try (WireClient c = server.ready()) {
                c.frame(FrameType.PING, FrameType.FLAG_ACK, 0, "0000000000000009").ping(10).send();
                assertThat(c.until("PING")).isEqualTo("PING 0 ACK a");
            }
        }

        @Test
        void aPingOnAStreamIsAProtocolError() throws Exception {
            try (WireClient c = server.ready()) {
                c.frame(FrameType.PING, 0, 1, "0000000000000001").send();
                connectionError(c, ErrorCode.PROTOCOL_ERROR);
            }
        }

        @Test
        void aPingOfTheWrongLengthIsAFrameSizeError() throws Exception {
            try (WireClient c = server.ready()) {
                c.frame(FrameType.PING, 0, 0, "00000000000001").send();
                connectionError(c, ErrorCode.FRAME_SIZE_ERROR);
            }
        }

        @Test
        void aGoAwayOnAStreamIsAProtocolError() throws Exception {
            try (WireClient c = server.ready()) {
                c.frame(FrameType.GOAWAY, 0, 1, "0000000000000000").send();
                connectionError(c, ErrorCode.PROTOCOL_ERROR);
            }
        }

        @Test
        void aClientGoAwayEndsTheConnectionAfterOpenStreams() throws Exception {
            try (WireClient c = server.ready()) {
                c.get(1, "/").frame(FrameType.GOAWAY, 0, 0, "0000000100000000").send();
                c.until("DATA 1");
                c.toClose();
            }
        }
    }
}
