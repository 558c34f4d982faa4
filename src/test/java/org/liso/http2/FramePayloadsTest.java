package org.liso.http2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** RFC 9113 §6, frame type by frame type: the layout, and the error each malformation must give. */
class FramePayloadsTest {

    private static Frame frame(int type, int flags, int stream, String hex) {
        return new Frame(type, flags, stream, Hex.buffer(hex));
    }

    private static void fails(ThrowingCallable call, ErrorCode code, boolean connection) {
        assertThatThrownBy(call).isInstanceOfSatisfying(Http2Exception.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.isConnectionError()).as("connection error").isEqualTo(connection);
        });
    }

    private static String text(ByteBuffer b) {
        return StandardCharsets.ISO_8859_1.decode(b.duplicate()).toString();
    }

    @Test
    void data() throws Http2Exception {
        assertThat(text(FramePayloads.data(frame(FrameType.DATA, 0, 1, "616263")))).isEqualTo("abc");
        assertThat(text(FramePayloads.data(frame(FrameType.DATA, FrameType.FLAG_PADDED, 1, "02 616263 0000"))))
                .isEqualTo("abc");
        assertThat(FramePayloads.data(frame(FrameType.DATA, FrameType.FLAG_PADDED, 1, "00")).remaining()).isZero();
        fails(() -> FramePayloads.data(frame(FrameType.DATA, 0, 0, "61")), ErrorCode.PROTOCOL_ERROR, true);
        fails(() -> FramePayloads.data(frame(FrameType.DATA, FrameType.FLAG_PADDED, 1, "03 6161")),
                ErrorCode.PROTOCOL_ERROR, true);
        fails(() -> FramePayloads.data(frame(FrameType.DATA, FrameType.FLAG_PADDED, 1, "01")),
                ErrorCode.PROTOCOL_ERROR, true);
    }

    @Test
    void headers() throws Http2Exception {
        FramePayloads.HeadersPayload h = FramePayloads.headers(frame(FrameType.HEADERS,
                FrameType.FLAG_PADDED | FrameType.FLAG_PRIORITY, 3, "01 80000001 0f 82 00"));
        assertThat(Hex.of(h.fragment())).isEqualTo("82");
        assertThat(h.exclusive()).isTrue();
        assertThat(h.dependency()).isEqualTo(1);
        assertThat(h.weight()).isEqualTo(16);
        fails(() -> FramePayloads.headers(frame(FrameType.HEADERS, FrameType.FLAG_PRIORITY, 3, "00000003 0f 82")),
                ErrorCode.PROTOCOL_ERROR, false);
        fails(() -> FramePayloads.headers(frame(FrameType.HEADERS, 0, 0, "82")), ErrorCode.PROTOCOL_ERROR, true);
        fails(() -> FramePayloads.headers(frame(FrameType.HEADERS, FrameType.FLAG_PADDED | FrameType.FLAG_PRIORITY,
                3, "02 00000001 0f 82")), ErrorCode.PROTOCOL_ERROR, true);
        fails(() -> FramePayloads.headers(frame(FrameType.HEADERS, FrameType.FLAG_PRIORITY, 3, "000000")),
                ErrorCode.FRAME_SIZE_ERROR, true);
    }

    @Test
    void priority() throws Http2Exception {
        FramePayloads.priority(frame(FrameType.PRIORITY, 0, 3, "00000001 10"));
        fails(() -> FramePayloads.priority(frame(FrameType.PRIORITY, 0, 3, "00000001")), ErrorCode.FRAME_SIZE_ERROR,
                false);
        fails(() -> FramePayloads.priority(frame(FrameType.PRIORITY, 0, 3, "00000003 10")), ErrorCode.PROTOCOL_ERROR,
                false);
        fails(() -> FramePayloads.priority(frame(FrameType.PRIORITY, 0, 0, "00000001 10")), ErrorCode.PROTOCOL_ERROR,
                true);
    }

    @Test
    void rstStream() throws Http2Exception {
        assertThat(FramePayloads.rstStream(frame(FrameType.RST_STREAM, 0, 1, "00000008"))).isEqualTo(ErrorCode.CANCEL);
        assertThat(FramePayloads.rstStream(frame(FrameType.RST_STREAM, 0, 1, "ffffffff")))
                .isEqualTo(ErrorCode.INTERNAL_ERROR);
        fails(() -> FramePayloads.rstStream(frame(FrameType.RST_STREAM, 0, 1, "000000")), ErrorCode.FRAME_SIZE_ERROR,
                true);
        fails(() -> FramePayloads.rstStream(frame(FrameType.RST_STREAM, 0, 0, "00000008")), ErrorCode.PROTOCOL_ERROR,
                true);
    }

    @Test
    void settings() throws Http2Exception {
        Settings s = new Settings();
        FramePayloads.settings(frame(FrameType.SETTINGS, 0, 0, "0003 00000064 0004 00100000 0005 00004000 00ff 00000001"),
                s);
        assertThat(s.maxConcurrentStreams()).isEqualTo(100);
        assertThat(s.initialWindowSize()).isEqualTo(1 << 20);
        assertThat(s.maxFrameSize()).isEqualTo(16_384);
        FramePayloads.settings(frame(FrameType.SETTINGS, FrameType.FLAG_ACK, 0, ""), s);
        fails(() -> FramePayloads.settings(frame(FrameType.SETTINGS, FrameType.FLAG_ACK, 0, "0003 00000064"), s),
                ErrorCode.FRAME_SIZE_ERROR, true);
        fails(() -> FramePayloads.settings(frame(FrameType.SETTINGS, 0, 0, "0003 000000"), s),
                ErrorCode.FRAME_SIZE_ERROR, true);
        fails(() -> FramePayloads.settings(frame(FrameType.SETTINGS, 0, 1, ""), s), ErrorCode.PROTOCOL_ERROR, true);
        fails(() -> FramePayloads.settings(frame(FrameType.SETTINGS, 0, 0, "0002 00000002"), s),
                ErrorCode.PROTOCOL_ERROR, true);
        fails(() -> FramePayloads.settings(frame(FrameType.SETTINGS, 0, 0, "0004 80000000"), s),
                ErrorCode.FLOW_CONTROL_ERROR, true);
        fails(() -> FramePayloads.settings(frame(FrameType.SETTINGS, 0, 0, "0005 00003fff"), s),
                ErrorCode.PROTOCOL_ERROR, true);
        fails(() -> FramePayloads.settings(frame(FrameType.SETTINGS, 0, 0, "0005 01000000"), s),
                ErrorCode.PROTOCOL_ERROR, true);
    }

    @Test
    void ping() throws Http2Exception {
        assertThat(FramePayloads.ping(frame(FrameType.PING, 0, 0, "0102030405060708"))).isEqualTo(0x0102030405060708L);
        fails(() -> FramePayloads.ping(frame(FrameType.PING, 0, 0, "01020304050607")), ErrorCode.FRAME_SIZE_ERROR,
                true);
        fails(() -> FramePayloads.ping(frame(FrameType.PING, 0, 1, "0102030405060708")), ErrorCode.PROTOCOL_ERROR,
                true);
    }

    @Test
    void goAway() throws Http2Exception {
        FramePayloads.GoAway g = FramePayloads.goAway(frame(FrameType.GOAWAY, 0, 0, "80000005 00000001 6869"));
        assertThat(g.lastStreamId()).isEqualTo(5);
        assertThat(g.code()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
        assertThat(text(g.debug())).isEqualTo("hi");
        fails(() -> FramePayloads.goAway(frame(FrameType.GOAWAY, 0, 0, "00000005")), ErrorCode.FRAME_SIZE_ERROR, true);
        fails(() -> FramePayloads.goAway(frame(FrameType.GOAWAY, 0, 3, "00000005 00000000")),
                ErrorCode.PROTOCOL_ERROR, true);
    }

    @Test
    void windowUpdate() throws Http2Exception {
        assertThat(FramePayloads.windowUpdate(frame(FrameType.WINDOW_UPDATE, 0, 0, "80000400"))).isEqualTo(1024);
        fails(() -> FramePayloads.windowUpdate(frame(FrameType.WINDOW_UPDATE, 0, 0, "00000000")),
                ErrorCode.PROTOCOL_ERROR, true);
        fails(() -> FramePayloads.windowUpdate(frame(FrameType.WINDOW_UPDATE, 0, 5, "00000000")),
                ErrorCode.PROTOCOL_ERROR, false);
        fails(() -> FramePayloads.windowUpdate(frame(FrameType.WINDOW_UPDATE, 0, 5, "000004")),
                ErrorCode.FRAME_SIZE_ERROR, true);
    }

    @Test
    void continuation() throws Http2Exception {
        assertThat(Hex.of(FramePayloads.continuation(frame(FrameType.CONTINUATION, 0, 1, "8286")))).isEqualTo("8286");
        fails(() -> FramePayloads.continuation(frame(FrameType.CONTINUATION, 0, 0, "82")), ErrorCode.PROTOCOL_ERROR,
                true);
    }

    @Test
    void headersSplitIntoContinuationsAtTheFrameSize() throws Http2Exception {
        byte[] block = new byte[40_000];
        for (int i = 0; i < block.length; i++) {
            block[i] = (byte) i;
        }
        ByteBuffer out = ByteBuffer.allocate(FrameWriter.headersLength(block.length, 16_384));
        FrameWriter.headers(out, 7, ByteBuffer.wrap(block), true, 16_384);
        assertThat(out.hasRemaining()).isFalse();
        out.flip();
        FrameReader r = new FrameReader(16_384);
        Frame first = r.next(out);
        assertThat(first.type()).isEqualTo(FrameType.HEADERS);
        assertThat(first.flags()).isEqualTo(FrameType.FLAG_END_STREAM);
        ByteBuffer joined = ByteBuffer.allocate(block.length).put(FramePayloads.headers(first).fragment());
        Frame f;
        int continuations = 0;
        while ((f = r.next(out)) != null) {
            assertThat(f.type()).isEqualTo(FrameType.CONTINUATION);
            continuations++;
            joined.put(FramePayloads.continuation(f));
            assertThat(f.has(FrameType.FLAG_END_HEADERS)).isEqualTo(!out.hasRemaining());
        }
        assertThat(continuations).isEqualTo(2);
        assertThat(joined.array()).isEqualTo(block);
    }
}
