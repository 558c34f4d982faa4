package org.liso.http2;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.liso.http.Headers;

/** The server's HTTP/2 engine, driven frame by frame as RFC 9113 describes each exchange and each error. */
class ServerSessionTest {

    private static Client started() {
        Client c = new Client().preface().send();
        assertThat(c.failure).isNull();
        assertThat(c.frames).containsExactly("SETTINGS 0", "WINDOW_UPDATE 0 +" + ((4 << 20) - 65_535), "SETTINGS 0 ACK");
        c.frames.clear();
        return c;
    }

    private static void connectionError(Client c, ErrorCode code) {
        assertThat(c.failure).isNotNull();
        assertThat(c.failure.code()).isEqualTo(code);
        assertThat(c.frames).last().asString().startsWith("GOAWAY 0").endsWith(code.toString());
        assertThat(c.session.closed()).isTrue();
    }

    @Test
    void aGetAndItsAnswer() throws Http2Exception {
        Client c = started().get(1, "/index.html").send();
        assertThat(c.events).containsExactly("request 1 GET /index.html END");
        Headers h = new Headers();
        h.add("Content-Type", "text/html");
        h.add("Connection", "keep-alive");
        h.add("Transfer-Encoding", "chunked");
        c.session.sendHeaders(1, 200, h, false);
        assertThat(c.session.sendWindow(1)).isEqualTo(65_535);
        c.session.sendData(1, ByteBuffer.wrap("hello".getBytes()), true);
        c.drain();
        // §8.2.2: the connection-specific fields are dropped, names are lower case.
        assertThat(c.frames).containsExactly("HEADERS 1 :status=200 content-type=text/html", "DATA 1 5 END");
        assertThat(c.session.activeStreams()).isZero();
    }

    @Test
    void everySplitOfAConversationGivesTheSameEvents() {
        Client whole = new Client();
        byte[] bytes = whole.preface().get(1, "/a").headers(3, false, ":method=POST", ":scheme=https", ":path=/cgi",
                ":authority=a.example", "content-length=5").data(3, "hel", false).data(3, "lo", true)
                .frame(FrameType.PING, 0, 0, "0102030405060708").built();
        whole.feed(ByteBuffer.wrap(bytes));
        assertThat(whole.events).containsExactly("request 1 GET /a END", "request 3 POST /cgi", "data 3 hel",
                "data 3 lo END");
        for (int i = 0; i <= bytes.length; i++) {
            Client split = new Client();
            split.feed(ByteBuffer.wrap(bytes, 0, i).slice());
            split.feed(ByteBuffer.wrap(bytes, i, bytes.length - i).slice());
            assertThat(split.events).as("split at %d", i).isEqualTo(whole.events);
            assertThat(split.frames).as("split at %d", i).isEqualTo(whole.frames);
        }
    }

    @Test
    void theClientPrefaceMustBeExactAndEndInSettings() {
        Client bad = new Client().raw("GET / HTTP/1.1\r\n\r\n".getBytes()).send();
        connectionError(bad, ErrorCode.PROTOCOL_ERROR);
        Client noSettings = new Client().raw(ServerSession.PREFACE).frame(FrameType.PING, 0, 0, "0000000000000000")
                .send();
        connectionError(noSettings, ErrorCode.PROTOCOL_ERROR);
    }

    @Test
    void pingIsEchoedAndSettingsAcknowledged() {
        Client c = started().frame(FrameType.PING, 0, 0, "0102030405060708").frame(FrameType.SETTINGS, 0, 0,
                "0001 00000100").send();
        assertThat(c.frames).containsExactly("PING 0 ACK", "SETTINGS 0 ACK");
    }

    @Test
    void streamIdentifiersMustBeOddAndRising() {
        connectionError(started().get(2, "/").send(), ErrorCode.PROTOCOL_ERROR);
        Client c = started().get(5, "/").send();
        c.get(3, "/").send();
        connectionError(c, ErrorCode.STREAM_CLOSED);
    }

    @Test
    void nothingMayComeBetweenAHeaderBlocksFrames() {
        Client c = started();
        ByteBuffer block = c.block(":method=GET", ":scheme=https", ":path=/", ":authority=a");
        byte[] b = new byte[block.remaining()];
        block.get(b);
        String hex = java.util.HexFormat.of().formatHex(b);
        c.frame(FrameType.HEADERS, FrameType.FLAG_END_STREAM, 1, hex.substring(0, 4))
                .frame(FrameType.PING, 0, 0, "0000000000000000").send();
        connectionError(c, ErrorCode.PROTOCOL_ERROR);

        Client joined = started();
        block = joined.block(":method=GET", ":scheme=https", ":path=/", ":authority=a");
        b = new byte[block.remaining()];
        block.get(b);
        hex = java.util.HexFormat.of().formatHex(b);
        joined.frame(FrameType.HEADERS, FrameType.FLAG_END_STREAM, 1, hex.substring(0, 4))
                .frame(FrameType.CONTINUATION, 0, 1, hex.substring(4, 6))
                .frame(FrameType.CONTINUATION, FrameType.FLAG_END_HEADERS, 1, hex.substring(6)).send();
        assertThat(joined.failure).isNull();
        assertThat(joined.events).containsExactly("request 1 GET / END");
    }

    @Test
    void aMalformedRequestResetsOnlyItsStream() {
        Client c = started().headers(1, true, ":method=GET", ":path=/", ":authority=a").get(3, "/ok").send();
        assertThat(c.failure).isNull();
        assertThat(c.frames).containsExactly("RST_STREAM 1 PROTOCOL_ERROR");
        assertThat(c.events).containsExactly("request 3 GET /ok END");
    }

    @Test
    void streamsBeyondTheLimitAreRefused() {
        Client c = new Client(new SessionLimits(2, 16_384, 1 << 20, 4 << 20, 4096, 16_384, 64 << 10, 1_000));
        c.preface().send();
        c.frames.clear();
        c.get(1, "/").get(3, "/").get(5, "/").send();
        assertThat(c.events).containsExactly("request 1 GET / END", "request 3 GET / END");
        assertThat(c.frames).containsExactly("RST_STREAM 5 REFUSED_STREAM");
    }

    @Test
    void rapidResetEndsTheConnection() {
        // CVE-2023-44487: open and cancel at once, over and over; each costs work and serves nothing.
        Client c = started();
        for (int id = 1; id < 2 * 1_200 && c.failure == null; id += 2) {
            c.get(id, "/").frame(FrameType.RST_STREAM, 0, id, "00000008").send();
        }
        connectionError(c, ErrorCode.ENHANCE_YOUR_CALM);
        assertThat(c.events.stream().filter(e -> e.startsWith("request")).count()).isBetween(1_000L, 1_002L);
    }

    @Test
    void cancelledStreamsAmongAnsweredOnesAreFine() {
        Client c = started();
        for (int id = 1; id < 2 * 3_000; id += 4) {
            c.get(id, "/").frame(FrameType.RST_STREAM, 0, id, "00000008").get(id + 2, "/").send();
            c.session.sendHeaders(id + 2, 204, new Headers(), true);
            c.drain();
        }
        assertThat(c.failure).isNull();
    }

    @Test
    void continuationFloodsAreBounded() {
        Client big = started().frame(FrameType.HEADERS, 0, 1, "82");
        for (int i = 0; i < 5; i++) {
            big.frame(FrameType.CONTINUATION, 0, 1, "00".repeat(16_000));
        }
        connectionError(big.send(), ErrorCode.ENHANCE_YOUR_CALM);
        Client empty = started().frame(FrameType.HEADERS, 0, 1, "82");
        for (int i = 0; i < 1_100; i++) {
            empty.frame(FrameType.CONTINUATION, 0, 1, "");
        }
        connectionError(empty.send(), ErrorCode.ENHANCE_YOUR_CALM);
    }

    @Test
    void pingAndSettingsFloodsAreBounded() {
        Client c = started();
        for (int i = 0; i < 1_100; i++) {
            c.frame(FrameType.PING, 0, 0, "0000000000000000");
        }
        connectionError(c.send(), ErrorCode.ENHANCE_YOUR_CALM);
    }

    @Test
    void requestBodiesAreFlowControlled() {
        Client c = new Client(new SessionLimits(100, 16_384, 65_535, 1 << 20, 4096, 16_384, 64 << 10, 1_000));
        c.preface().send();
        c.frames.clear();
        c.headers(1, false, ":method=POST", ":scheme=https", ":path=/", ":authority=a").send();
        String chunk = "x".repeat(16_000);
        for (int i = 0; i < 4; i++) {
            c.data(1, chunk, false);
        }
        c.send();
        assertThat(c.frames).isEmpty();
        c.session.consumed(1, 64_000);
        c.drain();
        assertThat(c.frames).containsExactly("WINDOW_UPDATE 1 +64000");
        c.data(1, "x".repeat(16_000), false).send();
        c.data(1, "x".repeat(16_000), false).send();
        c.data(1, "x".repeat(16_000), false).send();
        c.data(1, "x".repeat(16_000), false).send();
        c.data(1, "x".repeat(2_000), false).send(); // 65,535 + 64,000 - 64,000 = past the window
        assertThat(c.frames).last().isEqualTo("RST_STREAM 1 FLOW_CONTROL_ERROR");
        assertThat(c.events).last().isEqualTo("reset 1 FLOW_CONTROL_ERROR");
    }

    @Test
    void contentLengthMustMatchTheData() {
        Client c = started().headers(1, false, ":method=POST", ":scheme=https", ":path=/", ":authority=a",
                "content-length=3").data(1, "abcd", true).send();
        assertThat(c.frames).containsExactly("RST_STREAM 1 PROTOCOL_ERROR");
    }

    @Test
    void dataOnIdleStreamsIsAConnectionErrorAndOnClosedOnesAStreamError() {
        connectionError(started().data(1, "x", true).send(), ErrorCode.PROTOCOL_ERROR);
        Client c = started().get(1, "/").send();
        c.data(1, "x", true).send(); // the client already ended stream 1
        assertThat(c.frames).containsExactly("RST_STREAM 1 STREAM_CLOSED");
    }

    @Test
    void windowUpdatesOpenTheSendWindowAndMayNotOverflowIt() {
        Client c = started().get(1, "/").frame(FrameType.SETTINGS, 0, 0, "0004 00000010").send();
        assertThat(c.session.sendWindow(1)).isEqualTo(16);
        c.frame(FrameType.WINDOW_UPDATE, 0, 1, "00000100").send();
        assertThat(c.session.sendWindow(1)).isEqualTo(16 + 256);
        assertThat(c.events).contains("writable 1");
        connectionError(c.frame(FrameType.WINDOW_UPDATE, 0, 0, "7fffffff").send(), ErrorCode.FLOW_CONTROL_ERROR);
    }

    @Test
    void anOversizedHeaderListIsAnsweredNotDropped() {
        Client c = started().headers(1, true, ":method=GET", ":scheme=https", ":path=/", ":authority=a",
                "x-big=" + "y".repeat(20_000)).send();
        assertThat(c.failure).isNull();
        assertThat(c.events).containsExactly("too large 1");
        // The dynamic table stayed in step: the next request decodes.
        c.get(3, "/next").send();
        assertThat(c.events).last().isEqualTo("request 3 GET /next END");
    }

    @Test
    void afterGoAwayNewStreamsAreIgnoredAndOldOnesFinish() {
        Client c = started().headers(1, false, ":method=POST", ":scheme=https", ":path=/", ":authority=a").send();
        c.session.goAway(ErrorCode.NO_ERROR, "restart");
        c.drain();
        assertThat(c.frames).containsExactly("GOAWAY 0 last=1 NO_ERROR");
        c.get(3, "/").data(1, "x", true).send();
        assertThat(c.events).containsExactly("request 1 POST /", "data 1 x END");
        assertThat(c.session.drained()).isFalse();
        c.session.sendHeaders(1, 200, new Headers(), true);
        assertThat(c.session.drained()).isTrue();
    }

    @Test
    void aClientCannotPush() {
        connectionError(started().frame(FrameType.PUSH_PROMISE, FrameType.FLAG_END_HEADERS, 1, "00000002 82").send(),
                ErrorCode.PROTOCOL_ERROR);
    }

    @Test
    void trailersEndTheRequest() {
        Client c = started().headers(1, false, ":method=POST", ":scheme=https", ":path=/", ":authority=a")
                .data(1, "ab", false).headers(1, true, "x-sum=1").send();
        assertThat(c.events).containsExactly("request 1 POST /", "data 1 ab", "trailers 1 1");
        List<String> none = c.frames;
        assertThat(none).isEmpty();
    }
}
