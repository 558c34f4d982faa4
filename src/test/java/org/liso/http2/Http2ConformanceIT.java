package org.liso.http2;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.testing.LisoProcess;

/**
 * RFC 9113 and RFC 7541 walked section by section against the real server ({@code liso serve --h2c}), on the outline
 * of the public h2spec suite: each case sends raw frames, valid or not, and checks the frames that come back — the
 * answer, a RST_STREAM with the right code for a stream error (§5.4.2), or GOAWAY with the right code and a close for
 * a connection error (§5.4.1).
 */
class Http2ConformanceIT {
    @TempDir
    static Path tmp;
    static LisoProcess server;
    static int port;
    static final byte[] BIG = new byte[200_000];

    @BeforeAll
    static void start() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("www"));
        Files.writeString(root.resolve("index.html"), "hello over h2\n");
        for (int i = 0; i < BIG.length; i++) {
            BIG[i] = (byte) (i * 31);
        }
        Files.write(root.resolve("big.bin"), BIG);
        server = LisoProcess.start(1, "serve", "--root", root.toString(), "--http", "127.0.0.1:0", "--h2c",
                "--idle-timeout", "20s");
        port = server.port(0);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    /** A connection past the preface: both SETTINGS exchanged and acknowledged. */
    static WireClient ready(long... settings) throws IOException {
        return readyOn(port, settings);
    }

    static WireClient readyOn(int port, long... settings) throws IOException {
        WireClient c = WireClient.open(port);
        c.preface(settings).send();
        assertThat(c.next()).as("the server preface is a SETTINGS frame (§3.4)").startsWith("SETTINGS 0 streams=");
        c.settingsAck().send();
        c.until("SETTINGS 0 ACK");
        return c;
    }

    static void connectionError(WireClient c, ErrorCode code) throws IOException {
        assertThat(c.goAway()).endsWith(" " + code);
        c.toClose();
    }

    static void streamError(WireClient c, int stream, ErrorCode code) throws IOException {
        assertThat(c.until(f -> f.startsWith("RST_STREAM " + stream + " ") || f.startsWith("GOAWAY")))
                .isEqualTo("RST_STREAM " + stream + " " + code);
    }

    /** The connection still works: a PING is answered. */
    static void stillAlive(WireClient c) throws IOException {
        c.ping(0x1234).send();
        c.until("PING 0 ACK 1234");
    }

    static byte[] hex(String h) {
        return java.util.HexFormat.of().parseHex(h.replace(" ", ""));
    }

    @Nested
    class StartingHttp2 { // §3
        @Test
        void aGetIsAnsweredWithHeadersAndData() throws Exception {
            try (WireClient c = ready()) {
                c.get(1, "/").send();
                assertThat(c.until("HEADERS 1")).contains(":status=200", "content-length=14");
                assertThat(c.until("DATA 1")).isEqualTo("DATA 1 14 END");
            }
        }

        @Test
        void anInvalidPrefaceIsAConnectionError() throws Exception { // §3.4
            try (WireClient c = WireClient.open(port)) {
                c.raw("PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n".getBytes()).send();
                c.toClose(); // answered as HTTP/1.1 or GOAWAY: never served as HTTP/2
            }
        }

        @Test
        void aPrefaceNotFollowedBySettingsIsAConnectionError() throws Exception { // §3.4
            try (WireClient c = WireClient.open(port)) {
                c.raw(ServerSession.PREFACE).ping(1).send();
                connectionError(c, ErrorCode.PROTOCOL_ERROR);
            }
        }
    }

    @Nested
    class FrameFormat { // §4
        @Test
        void anUnknownFrameTypeIsIgnored() throws Exception { // §4.1, §5.5
            try (WireClient c = ready()) {
                c.frame(0x16, 0, 0, "0102030405").send();
                stillAlive(c);
            }
        }

        @Test
        void unknownFlagsAreIgnored() throws Exception { // §4.1
            try (WireClient c = ready()) {
                c.frame(FrameType.PING, 0x16, 0, "0000000000000001").send();
                c.until("PING 0 ACK 1");
            }
        }

        @Test
        void theReservedBitIsIgnored() throws Exception { // §4.1
            try (WireClient c = ready()) {
                c.raw(hex("000008 06 00 80000000 0000000000000002")).send();
                c.until("PING 0 ACK 2");
            }
        }

        @Test
        void dataLongerThanMaxFrameSizeIsAFrameSizeError() throws Exception { // §4.2
            try (WireClient c = ready()) {
                c.headers(1, false, ":method=POST", ":scheme=http", ":path=/", ":authority=x")
                        .data(1, new byte[16_385], true).send();
                connectionError(c, ErrorCode.FRAME_SIZE_ERROR);
            }
        }

        @Test
        void headersLongerThanMaxFrameSizeIsAConnectionFrameSizeError() throws Exception { // §4.2
            try (WireClient c = ready()) {
                c.frame(FrameType.HEADERS, FrameType.FLAG_END_HEADERS | FrameType.FLAG_END_STREAM, 1,
                        new byte[16_385]).send();
                connectionError(c, ErrorCode.FRAME_SIZE_ERROR);
            }
        }

        @Test
        void anInvalidHeaderBlockIsACompressionError() throws Exception { // §4.3
            try (WireClient c = ready()) {
                c.frame(FrameType.HEADERS, FrameType.FLAG_END_HEADERS | FrameType.FLAG_END_STREAM, 1, "ff").send();
                connectionError(c, ErrorCode.COMPRESSION_ERROR);
            }
        }

        @Test
        void aPriorityFrameInsideAHeaderBlockIsAProtocolError() throws Exception { // §4.3
            try (WireClient c = ready()) {
                byte[] b = c.block(":method=GET", ":scheme=http", ":path=/", ":authority=x");
                c.frame(FrameType.HEADERS, FrameType.FLAG_END_STREAM, 1, b)
                        .frame(FrameType.PRIORITY, 0, 1, "0000000010").send();
                connectionError(c, ErrorCode.PROTOCOL_ERROR);
            }
        }
    }

    @Nested
    class StreamStates { // §5.1
        @Test
        void dataOnAnIdleStreamIsAProtocolError() throws Exception {
            try (WireClient c = ready()) {
                c.data(1, "x".getBytes(), true).send();
                connectionError(c, ErrorCode.PROTOCOL_ERROR);
            }
        }

        @Test
        void rstStreamOnAnIdleStreamIsAProtocolError() throws Exception {
            try (WireClient c = ready()) {
                c.rst(1, ErrorCode.CANCEL).send();
                connectionError(c, ErrorCode.PROTOCOL_ERROR);
            }
        }

        @Test
        void windowUpdateOnAnIdleStreamIsAProtocolError() throws Exception {
            try (WireClient c = ready()) {
                c.windowUpdate(1, 100).send();
                connectionError(c, ErrorCode.PROTOCOL_ERROR);
            }
        }

        @Test
        void continuationOnAnIdleStreamIsAProtocolError() throws Exception {
            try (WireClient c = ready()) {
                c.frame(FrameType.CONTINUATION, FrameType.FLAG_END_HEADERS, 1,
                        c.block(":method=GET", ":scheme=http", ":path=/", ":authority=x")).send();
                connectionError(c, ErrorCode.PROTOCOL_ERROR);
            }
        }

        @Test
        void dataOnAHalfClosedRemoteStreamIsStreamClosed() throws Exception {
            try (WireClient c = ready(Settings.INITIAL_WINDOW_SIZE, 0)) { // the answer waits: the stream stays open
                c.get(1, "/").send();
                c.until("HEADERS 1");
                c.data(1, "x".getBytes(), true).send();
                assertThat(c.until(f -> f.startsWith("RST_STREAM 1") || f.startsWith("GOAWAY")))
                        .endsWith("STREAM_CLOSED");
            }
        }

        @Test
        void headersOnAHalfClosedRemoteStreamIsStreamClosed() throws Exception {
            try (WireClient c = ready(Settings.INITIAL_WINDOW_SIZE, 0)) {
                c.get(1, "/").send();
                c.until("HEADERS 1");
                c.get(1, "/").send();
                assertThat(c.until(f -> f.startsWith("RST_STREAM 1") || f.startsWith("GOAWAY")))
                        .endsWith("STREAM_CLOSED");
            }
        }

        @Test
        void dataOnAClosedStreamIsStreamClosed() throws Exception {
            try (WireClient c = ready()) {
                c.get(1, "/").send();
                c.until("DATA 1");
                c.data(1, "x".getBytes(), true).send();
                assertThat(c.until(f -> f.startsWith("RST_STREAM 1") || f.startsWith("GOAWAY")))
                        .endsWith("STREAM_CLOSED");
            }
        }

        @Test
        void headersOnAClosedStreamIsAConnectionError() throws Exception {
            try (WireClient c = ready()) {
                c.get(1, "/").send();
                c.until("DATA 1");
                c.get(1, "/").send();
                connectionError(c, ErrorCode.STREAM_CLOSED);
            }
        }

        @Test
        void anEvenStreamIdIsAProtocolError() throws Exception { // §5.1.1
            try (WireClient c = ready()) {
                c.get(2, "/").send();
                connectionError(c, ErrorCode.PROTOCOL_ERROR);
            }
        }

        @Test
        void aStreamIdBelowOneUsedIsAProtocolError() throws Exception { // §5.1.1
            try (WireClient c = ready()) {
                c.get(5, "/").send();
                c.until("DATA 5");
                c.get(3, "/").send();
                assertThat(c.goAway()).matches("GOAWAY 0 last=5 (PROTOCOL_ERROR|STREAM_CLOSED)");
            }
        }

        @Test
        void streamsBeyondMaxConcurrentAreRefused() throws Exception { // §5.1.2
            try (WireClient c = ready(Settings.INITIAL_WINDOW_SIZE, 0)) { // every answer waits for window
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
            try (WireClient c = ready()) {
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
            try (WireClient c = ready()) {
                c.frame(FrameType.PRIORITY, 0, 3, "0000000310").send();
                streamError(c, 3, ErrorCode.PROTOCOL_ERROR);
            }
        }

        @Test
        void priorityIsParsedAndIgnored() throws Exception {
            try (WireClient c = ready()) {
                c.frame(FrameType.PRIORITY, 0, 3, "0000000010").get(5, "/").send();
                c.until("DATA 5");
            }
        }
    }

    @Nested
    class DataFrames { // §6.1
        @Test
        void dataOnStreamZeroIsAProtocolError() throws Exception {
            try (WireClient c = ready()) {
                c.data(0, "x".getBytes(), false).send();
                connectionError(c, ErrorCode.PROTOCOL_ERROR);
            }
        }

        @Test
        void paddingLongerThanThePayloadIsAProtocolError() throws Exception {
            try (WireClient c = ready()) {
                c.headers(1, false, ":method=POST", ":scheme=http", ":path=/", ":authority=x")
                        .frame(FrameType.DATA, 0x08, 1, "05 6162").send();
                connectionError(c, ErrorCode.PROTOCOL_ERROR);
            }
        }

        @Test
        void aPostWithABodyIsAnsweredByTheHandler() throws Exception {
            try (WireClient c = ready()) {
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
            try (WireClient c = ready()) {
                c.headers(0, true, ":method=GET", ":scheme=http", ":path=/", ":authority=x").send();
                connectionError(c, ErrorCode.PROTOCOL_ERROR);
            }
        }

        @Test
        void paddingLongerThanTheBlockIsAProtocolError() throws Exception {
            try (WireClient c = ready()) {
                c.frame(FrameType.HEADERS, FrameType.FLAG_END_HEADERS | FrameType.FLAG_END_STREAM | 0x08, 1,
                        "10 8286").send();
                connectionError(c, ErrorCode.PROTOCOL_ERROR);
            }
        }

        @Test
        void paddedHeadersAreUnderstood() throws Exception {
            try (WireClient c = ready()) {
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
            try (WireClient c = ready()) {
                c.frame(FrameType.PRIORITY, 0, 0, "0000000110").send();
                connectionError(c, ErrorCode.PROTOCOL_ERROR);
            }
        }

        @Test
        void priorityOfTheWrongLengthIsAFrameSizeError() throws Exception {
            try (WireClient c = ready()) {
                c.frame(FrameType.PRIORITY, 0, 1, "00000001").send();
                assertThat(c.until(f -> f.startsWith("RST_STREAM 1") || f.startsWith("GOAWAY")))
                        .endsWith("FRAME_SIZE_ERROR");
            }
        }

        @Test
        void rstStreamOnStreamZeroIsAProtocolError() throws Exception {
            try (WireClient c = ready()) {
                c.rst(0, ErrorCode.CANCEL).send();
                connectionError(c, ErrorCode.PROTOCOL_ERROR);
            }
        }

        @Test
        void rstStreamOfTheWrongLengthIsAFrameSizeError() throws Exception {
            try (WireClient c = ready(Settings.INITIAL_WINDOW_SIZE, 0)) {
                c.get(1, "/").send();
                c.until("HEADERS 1");
                c.frame(FrameType.RST_STREAM, 0, 1, "0000000800").send();
                connectionError(c, ErrorCode.FRAME_SIZE_ERROR);
            }
        }

        @Test
        void aResetStreamIsForgottenAndTheConnectionGoesOn() throws Exception {
            try (WireClient c = ready(Settings.INITIAL_WINDOW_SIZE, 0)) {
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
    class SettingsFrames { // §6.5
        @Test
        void anAckWithAPayloadIsAFrameSizeError() throws Exception {
            try (WireClient c = ready()) {
                c.frame(FrameType.SETTINGS, FrameType.FLAG_ACK, 0, "000300000064").send();
                connectionError(c, ErrorCode.FRAME_SIZE_ERROR);
            }
        }

        @Test
        void settingsOnAStreamIsAProtocolError() throws Exception {
            try (WireClient c = ready()) {
                c.frame(FrameType.SETTINGS, 0, 1, "000300000064").send();
                connectionError(c, ErrorCode.PROTOCOL_ERROR);
            }
        }

        @Test
        void aLengthThatIsNotAMultipleOfSixIsAFrameSizeError() throws Exception {
            try (WireClient c = ready()) {
                c.frame(FrameType.SETTINGS, 0, 0, "0003000000").send();
                connectionError(c, ErrorCode.FRAME_SIZE_ERROR);
            }
        }

        @Test
        void enablePushAboveOneIsAProtocolError() throws Exception { // §6.5.2
            try (WireClient c = ready()) {
                c.settingsFrame(Settings.ENABLE_PUSH, 2).send();
                connectionError(c, ErrorCode.PROTOCOL_ERROR);
            }
        }

        @Test
        void anInitialWindowAboveTheMaximumIsAFlowControlError() throws Exception { // §6.5.2
            try (WireClient c = ready()) {
                c.settingsFrame(Settings.INITIAL_WINDOW_SIZE, 1L << 31).send();
                connectionError(c, ErrorCode.FLOW_CONTROL_ERROR);
            }
        }

        @Test
        void aMaxFrameSizeBelowTheMinimumIsAProtocolError() throws Exception { // §6.5.2
            try (WireClient c = ready()) {
                c.settingsFrame(Settings.MAX_FRAME_SIZE, 16_383).send();
                connectionError(c, ErrorCode.PROTOCOL_ERROR);
            }
        }

        @Test
        void aMaxFrameSizeAboveTheMaximumIsAProtocolError() throws Exception { // §6.5.2
            try (WireClient c = ready()) {
                c.settingsFrame(Settings.MAX_FRAME_SIZE, 1 << 24).send();
                connectionError(c, ErrorCode.PROTOCOL_ERROR);
            }
        }

        @Test
        void anUnknownSettingIsIgnoredAndAcknowledged() throws Exception { // §6.5.2
            try (WireClient c = ready()) {
                c.settingsFrame(0xff, 1).send();
                c.until("SETTINGS 0 ACK");
                stillAlive(c);
            }
        }

        @Test
        void aSmallerInitialWindowHoldsDataToIt() throws Exception { // §6.9.2
            try (WireClient c = ready(Settings.INITIAL_WINDOW_SIZE, 1)) {
                c.get(1, "/").send();
                assertThat(c.until("DATA 1")).isEqualTo("DATA 1 1");
                c.windowUpdate(1, 13).send();
                assertThat(c.until("DATA 1")).isEqualTo("DATA 1 13 END");
            }
        }

        @Test
        void aWindowChangeBySettingsAppliesToOpenStreams() throws Exception { // §6.9.2
            try (WireClient c = ready(Settings.INITIAL_WINDOW_SIZE, 0)) {
                c.get(1, "/").send();
                c.until("HEADERS 1");
                c.settingsFrame(Settings.INITIAL_WINDOW_SIZE, 100).send();
                assertThat(c.until("DATA 1")).isEqualTo("DATA 1 14 END");
            }
        }

        @Test
        void aLargerMaxFrameSizeLetsTheServerSendLargerFrames() throws Exception {
            try (WireClient c = ready(Settings.MAX_FRAME_SIZE, 65_536, Settings.INITIAL_WINDOW_SIZE, 1 << 20)) {
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
            try (WireClient c = ready()) {
                c.ping(0x0102030405060708L).send();
                c.until("PING 0 ACK 102030405060708");
            }
        }

        @Test
        void aPingAckIsNotAnswered() throws Exception {
            try (WireClient c = ready()) {
                c.frame(FrameType.PING, FrameType.FLAG_ACK, 0, "0000000000000009").ping(10).send();
                assertThat(c.until("PING")).isEqualTo("PING 0 ACK a");
            }
        }

        @Test
        void aPingOnAStreamIsAProtocolError() throws Exception {
            try (WireClient c = ready()) {
                c.frame(FrameType.PING, 0, 1, "0000000000000001").send();
                connectionError(c, ErrorCode.PROTOCOL_ERROR);
            }
        }

        @Test
        void aPingOfTheWrongLengthIsAFrameSizeError() throws Exception {
            try (WireClient c = ready()) {
                c.frame(FrameType.PING, 0, 0, "00000000000001").send();
                connectionError(c, ErrorCode.FRAME_SIZE_ERROR);
            }
        }

        @Test
        void aGoAwayOnAStreamIsAProtocolError() throws Exception {
            try (WireClient c = ready()) {
                c.frame(FrameType.GOAWAY, 0, 1, "0000000000000000").send();
                connectionError(c, ErrorCode.PROTOCOL_ERROR);
            }
        }

        @Test
        void aClientGoAwayEndsTheConnectionAfterOpenStreams() throws Exception {
            try (WireClient c = ready()) {
                c.get(1, "/").frame(FrameType.GOAWAY, 0, 0, "0000000100000000").send();
                c.until("DATA 1");
                c.toClose();
            }
        }
    }

    @Nested
    class WindowUpdateFrames { // §6.9
        @Test
        void aZeroIncrementOnTheConnectionIsAProtocolError() throws Exception {
            try (WireClient c = ready()) {
                c.windowUpdate(0, 0).send();
                connectionError(c, ErrorCode.PROTOCOL_ERROR);
            }
        }

        @Test
        void aZeroIncrementOnAStreamIsAStreamError() throws Exception {
            try (WireClient c = ready(Settings.INITIAL_WINDOW_SIZE, 0)) {
                c.get(1, "/").send();
                c.until("HEADERS 1");
                c.windowUpdate(1, 0).send();
                streamError(c, 1, ErrorCode.PROTOCOL_ERROR);
            }
        }

        @Test
        void theWrongLengthIsAFrameSizeError() throws Exception {
            try (WireClient c = ready()) {
                c.frame(FrameType.WINDOW_UPDATE, 0, 0, "000001").send();
                connectionError(c, ErrorCode.FRAME_SIZE_ERROR);
            }
        }

        @Test
        void aConnectionWindowAboveTheMaximumIsAFlowControlError() throws Exception { // §6.9.1
            try (WireClient c = ready()) {
                c.windowUpdate(0, Integer.MAX_VALUE).send();
                connectionError(c, ErrorCode.FLOW_CONTROL_ERROR);
            }
        }

        @Test
        void aStreamWindowAboveTheMaximumIsAStreamFlowControlError() throws Exception { // §6.9.1
            try (WireClient c = ready(Settings.INITIAL_WINDOW_SIZE, 0)) {
                c.get(1, "/").send();
                c.until("HEADERS 1");
                c.windowUpdate(1, Integer.MAX_VALUE).windowUpdate(1, Integer.MAX_VALUE).send();
                streamError(c, 1, ErrorCode.FLOW_CONTROL_ERROR);
            }
        }

        @Test
        void dataBeyondTheReceiveWindowIsAFlowControlError() throws Exception { // §6.9.1
            // The answer (404) waits for window, and the unread body earns the stream no credit: past 1 MiB it is over.
            try (WireClient c = ready(Settings.INITIAL_WINDOW_SIZE, 0)) {
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
            try (WireClient c = ready()) {
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
    class ContinuationFrames { // §6.10
        @Test
        void aBlockSplitAcrossContinuationsIsUnderstood() throws Exception {
            try (WireClient c = ready()) {
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
            try (WireClient c = ready(Settings.INITIAL_WINDOW_SIZE, 0)) {
                c.get(1, "/").frame(FrameType.CONTINUATION, FrameType.FLAG_END_HEADERS, 1,
                        c.block("x-a=1")).send();
                connectionError(c, ErrorCode.PROTOCOL_ERROR);
            }
        }

        @Test
        void anotherFrameInsideABlockIsAProtocolError() throws Exception {
            try (WireClient c = ready()) {
                c.frame(FrameType.HEADERS, FrameType.FLAG_END_STREAM, 1,
                        c.block(":method=GET", ":scheme=http", ":path=/", ":authority=x")).ping(1).send();
                connectionError(c, ErrorCode.PROTOCOL_ERROR);
            }
        }

        @Test
        void aContinuationOfAnotherStreamIsAProtocolError() throws Exception {
            try (WireClient c = ready()) {
                c.frame(FrameType.HEADERS, FrameType.FLAG_END_STREAM, 1,
                        c.block(":method=GET", ":scheme=http", ":path=/", ":authority=x"))
                        .frame(FrameType.CONTINUATION, FrameType.FLAG_END_HEADERS, 3, c.block("x-a=1")).send();
                connectionError(c, ErrorCode.PROTOCOL_ERROR);
            }
        }
    }

    @Nested
    class HttpSemantics { // §8
        private void malformed(String... fields) throws Exception {
            try (WireClient c = ready()) {
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
            try (WireClient c = ready()) {
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
            try (WireClient c = ready(Settings.INITIAL_WINDOW_SIZE, 0)) { // the answer waits: the stream stays open
                c.headers(1, false, ":method=POST", ":scheme=http", ":path=/x", ":authority=x")
                        .data(1, "abc".getBytes(), false).headers(1, true, ":method=GET").send();
                assertThat(c.until(f -> f.startsWith("RST_STREAM 1") || f.startsWith("GOAWAY")))
                        .isEqualTo("RST_STREAM 1 PROTOCOL_ERROR");
                stillAlive(c);
            }
        }

        @Test
        void dataBeyondTheContentLengthIsMalformed() throws Exception { // §8.1.1
            try (WireClient c = ready(Settings.INITIAL_WINDOW_SIZE, 0)) { // the answer waits: the stream stays open
                c.headers(1, false, ":method=POST", ":scheme=http", ":path=/x", ":authority=x", "content-length=2")
                        .data(1, "abc".getBytes(), true).send();
                assertThat(c.until(f -> f.startsWith("RST_STREAM 1") || f.startsWith("GOAWAY")))
                        .isEqualTo("RST_STREAM 1 PROTOCOL_ERROR");
            }
        }

        @Test
        void dataShortOfTheContentLengthIsMalformed() throws Exception { // §8.1.1
            try (WireClient c = ready(Settings.INITIAL_WINDOW_SIZE, 0)) { // the answer waits: the stream stays open
                c.headers(1, false, ":method=POST", ":scheme=http", ":path=/x", ":authority=x", "content-length=9")
                        .data(1, "abc".getBytes(), true).send();
                assertThat(c.until(f -> f.startsWith("RST_STREAM 1") || f.startsWith("GOAWAY")))
                        .isEqualTo("RST_STREAM 1 PROTOCOL_ERROR");
            }
        }

        @Test
        void aHeadRequestGetsHeadersOnly() throws Exception {
            try (WireClient c = ready()) {
                c.headers(1, true, ":method=HEAD", ":scheme=http", ":path=/", ":authority=x").send();
                assertThat(c.until("HEADERS 1")).contains(":status=200", "content-length=14").endsWith(" END");
            }
        }

        @Test
        void theResponseCarriesNoConnectionSpecificFields() throws Exception { // §8.2.2
            try (WireClient c = ready()) {
                c.get(1, "/").send();
                String h = c.until("HEADERS 1");
                assertThat(h).doesNotContain("connection=", "keep-alive=", "transfer-encoding=")
                        .contains("date=", "server=");
            }
        }

        @Test
        void aHeaderListBeyondTheLimitIsAnswered431() throws Exception { // §10.5.1
            try (WireClient c = ready()) {
                String big = "v".repeat(4000);
                c.headers(1, true, ":method=GET", ":scheme=http", ":path=/", ":authority=x", "x-1=" + big,
                        "x-2=" + big, "x-3=" + big, "x-4=" + big, "x-5=" + big).send();
                assertThat(c.until("HEADERS 1")).contains(":status=431");
                stillAlive(c);
            }
        }

        @Test
        void manyStreamsAreAnsweredInterleaved() throws Exception { // fairness: one big body does not starve others
            try (WireClient c = ready(Settings.INITIAL_WINDOW_SIZE, 1 << 20)) {
                c.windowUpdate(0, 1 << 24).get(1, "/big.bin").get(3, "/").send();
                String small = c.until("DATA 3");
                assertThat(small).isEqualTo("DATA 3 14 END");
                assertThat(c.dataOctets[1]).isLessThan(BIG.length); // answered while the large body was under way
            }
        }
    }

    @Nested
    class Hpack { // RFC 7541
        @Test
        void anIndexBeyondTheTablesIsACompressionError() throws Exception { // §2.3.3
            try (WireClient c = ready()) {
                c.frame(FrameType.HEADERS, FrameType.FLAG_END_HEADERS | FrameType.FLAG_END_STREAM, 1, "8286 be")
                        .send();
                connectionError(c, ErrorCode.COMPRESSION_ERROR);
            }
        }

        @Test
        void aTableSizeUpdateAboveTheLimitIsACompressionError() throws Exception { // §4.2, §6.3
            try (WireClient c = ready()) {
                c.frame(FrameType.HEADERS, FrameType.FLAG_END_HEADERS | FrameType.FLAG_END_STREAM, 1,
                        "3fe1ff03 8286 84 41 01 78").send();
                connectionError(c, ErrorCode.COMPRESSION_ERROR);
            }
        }

        @Test
        void aTableSizeUpdateAfterAFieldIsACompressionError() throws Exception { // §4.2
            try (WireClient c = ready()) {
                c.frame(FrameType.HEADERS, FrameType.FLAG_END_HEADERS | FrameType.FLAG_END_STREAM, 1,
                        "82 20 86 84 41 01 78").send();
                connectionError(c, ErrorCode.COMPRESSION_ERROR);
            }
        }

        @Test
        void huffmanPaddingThatIsNotAllOnesIsACompressionError() throws Exception { // §5.2
            try (WireClient c = ready()) {
                // :authority literal with a Huffman string "a" = 00011 padded with zeros instead of ones
                c.frame(FrameType.HEADERS, FrameType.FLAG_END_HEADERS | FrameType.FLAG_END_STREAM, 1,
                        "82 86 84 41 81 18").send();
                connectionError(c, ErrorCode.COMPRESSION_ERROR);
            }
        }

        @Test
        void theDynamicTableCarriesFieldsAcrossRequests() throws Exception { // §2.3.2
            try (WireClient c = ready()) {
                c.get(1, "/").send();
                c.until("DATA 1");
                c.get(3, "/").send(); // the encoder now refers to its dynamic table for :authority
                assertThat(c.until("HEADERS 3")).contains(":status=200");
            }
        }
    }
}
