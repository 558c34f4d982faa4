package org.liso.http2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.liso.http2.ConformanceServer.BIG;
import static org.liso.http2.ConformanceServer.connectionError;
import static org.liso.http2.ConformanceServer.streamError;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RFC 9113 §6.9 (WINDOW_UPDATE, windows in both directions) and §6.9.2 (the initial window size moved by SETTINGS)
 * against the real server; see {@link ConformanceServer} for how every conformance case is checked.
 */
class Http2FlowControlIT {
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
    class WindowUpdateFrames { // §6.9
        @Test
        void aZeroIncrementOnTheConnectionIsAProtocolError() throws Exception {
            try (WireClient c = server.ready()) {
                c.windowUpdate(0, 0).send();
                connectionError(c, ErrorCode.PROTOCOL_ERROR);
            }
        }

        @Test
        void aZeroIncrementOnAStreamIsAStreamError() throws Exception {
            try (WireClient c = server.ready(Settings.INITIAL_WINDOW_SIZE, 0)) {
                c.get(1, "/").send();
                c.until("HEADERS 1");
                c.windowUpdate(1, 0).send();
                streamError(c, 1, ErrorCode.PROTOCOL_ERROR);
            }
        }

        @Test
        void theWrongLengthIsAFrameSizeError() throws Exception {
            try (WireClient c = server.ready()) {
                c.frame(FrameType.WINDOW_UPDATE, 0, 0, "000001").send();
                connectionError(c, ErrorCode.FRAME_SIZE_ERROR);
            }
        }

        @Test
        void aConnectionWindowAboveTheMaximumIsAFlowControlError() throws Exception { // §6.9.1
            try (WireClient c = server.ready()) {
                c.windowUpdate(0, Integer.MAX_VALUE).send();
                connectionError(c, ErrorCode.FLOW_CONTROL_ERROR);
            }
        }

        @Test
        void aStreamWindowAboveTheMaximumIsAStreamFlowControlError() throws Exception { // §6.9.1
            try (WireClient c = server.ready(Settings.INITIAL_WINDOW_SIZE, 0)) {
                c.get(1, "/").send();
                c.until("HEADERS 1");
                c.windowUpdate(1, Integer.MAX_VALUE).windowUpdate(1, Integer.MAX_VALUE).send();
                streamError(c, 1, ErrorCode.FLOW_CONTROL_ERROR);
            }
        }

        @Test
        void dataBeyondTheReceiveWindowIsAFlowControlError() throws Exception { // §6.9.1
            // The answer (404) waits for window, and the unread body earns the stream no credit: past 1 MiB it is over.
            try (WireClient c = server.ready(Settings.INITIAL_WINDOW_SIZE, 0)) {
                c.headers(1, false, ":method=POST", ":scheme=http", ":path=/x", ":authority=x");
                for (int i = 0; i < 80; i++) { // 80 x 16 KiB = 1.25 MiB, beyond the 1 MiB stream window
                    c.data(1, new byte[16_384], false);
                }
                c.send();
                assertThat(c.until(f -> f.startsWith("RST_STREAM 1") || f.startsWith("GOAWAY")))
                        .endsWith("FLOW_CONTROL_ERROR");
            }
        }

        @Test
        void aLargeBodyIsSentAsTheWindowOpens() throws Exception {
            try (WireClient c = server.ready()) {
                c.get(1, "/big.bin").send();
                long deadline = System.currentTimeMillis() + 10_000;
                while (c.dataOctets[1] < 65_535 && System.currentTimeMillis() < deadline) {
                    c.next();
                }
                assertThat(c.dataOctets[1]).isEqualTo(65_535); // the initial window, and not one octet more
                c.windowUpdate(0, BIG.length).windowUpdate(1, BIG.length).send();
                c.until("DATA 1", true);
                assertThat(c.dataOctets[1]).isEqualTo(BIG.length);
            }
        }
    }

    @Nested
    class InitialWindowSize { // §6.9.2
        @Test
        void aSmallerInitialWindowHoldsDataToIt() throws Exception { // §6.9.2
            try (WireClient c = server.ready(Settings.INITIAL_WINDOW_SIZE, 1)) {
                c.get(1, "/").send();
                assertThat(c.until("DATA 1")).isEqualTo("DATA 1 1");
                c.windowUpdate(1, 13).send();
                assertThat(c.until("DATA 1")).isEqualTo("DATA 1 13 END");
            }
        }

        @Test
        void aWindowChangeBySettingsAppliesToOpenStreams() throws Exception { // §6.9.2
            try (WireClient c = server.ready(Settings.INITIAL_WINDOW_SIZE, 0)) {
                c.get(1, "/").send();
                c.until("HEADERS 1");
                c.settingsFrame(Settings.INITIAL_WINDOW_SIZE, 100).send();
                assertThat(c.until("DATA 1")).isEqualTo("DATA 1 14 END");
            }
        }
    }
}
