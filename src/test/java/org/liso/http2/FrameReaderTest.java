package org.liso.http2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameReaderTest {

    /** SETTINGS, PING, a padded DATA, an empty CONTINUATION and a frame of an unknown type, back to back. */
    private static byte[] sequence() {
        ByteBuffer b = ByteBuffer.allocate(256);
        FrameWriter.settings(b, Settings.MAX_CONCURRENT_STREAMS, 100, Settings.INITIAL_WINDOW_SIZE, 1 << 20);
        FrameWriter.ping(b, 0x0102030405060708L, false);
        FrameWriter.header(b, 6, FrameType.DATA, FrameType.FLAG_PADDED | FrameType.FLAG_END_STREAM, 3);
        b.put((byte) 2).put("abc".getBytes()).put(new byte[2]);
        FrameWriter.header(b, 0, FrameType.CONTINUATION, FrameType.FLAG_END_HEADERS, 5);
        FrameWriter.header(b, 3, 0xfa, 0, 0);
        b.put(new byte[] {9, 9, 9});
        b.flip();
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return a;
    }

    private static String describe(Frame f) {
        byte[] p = new byte[f.length()];
        f.payload().duplicate().get(p);
        return f + " " + java.util.HexFormat.of().formatHex(p);
    }

    @Test
    void everySplitPointGivesTheSameFrames() throws Http2Exception {
        byte[] all = sequence();
        List<String> whole = readAll(new FrameReader(16_384), List.of(ByteBuffer.wrap(all)));
        assertThat(whole).hasSize(5);
        assertThat(whole.get(2)).startsWith("DATA stream=3 flags=0x9 length=6");
        assertThat(whole.get(4)).startsWith("UNKNOWN(0xfa)");
        for (int i = 0; i <= all.length; i++) {
            for (int j = i; j <= all.length; j += 7) {
                List<ByteBuffer> parts = List.of(ByteBuffer.wrap(all, 0, i).slice(),
                        ByteBuffer.wrap(all, i, j - i).slice(), ByteBuffer.wrap(all, j, all.length - j).slice());
                assertThat(readAll(new FrameReader(16_384), parts)).as("split at %d and %d", i, j).isEqualTo(whole);
            }
        }
    }

    @Test
    void oneByteAtATime() throws Http2Exception {
        byte[] all = sequence();
        List<ByteBuffer> bytes = new ArrayList<>();
        for (byte x : all) {
            bytes.add(ByteBuffer.wrap(new byte[] {x}));
        }
        assertThat(readAll(new FrameReader(16_384), bytes))
                .isEqualTo(readAll(new FrameReader(16_384), List.of(ByteBuffer.wrap(all))));
    }

    @Test
    void aFrameAboveTheMaximumIsAFrameSizeError() {
        ByteBuffer b = ByteBuffer.allocate(9);
        FrameWriter.header(b, 16_385, FrameType.DATA, 0, 1);
        b.flip();
        assertThatThrownBy(() -> new FrameReader(16_384).next(b)).isInstanceOf(Http2Exception.class)
                .satisfies(e -> assertThat(((Http2Exception) e).code()).isEqualTo(ErrorCode.FRAME_SIZE_ERROR));
    }

    @Test
    void theReservedBitIsIgnored() throws Http2Exception {
        ByteBuffer b = ByteBuffer.wrap(new byte[] {0, 0, 0, FrameType.DATA, 0, (byte) 0x80, 0, 0, 7});
        assertThat(new FrameReader(16_384).next(b).streamId()).isEqualTo(7);
    }

    @Test
    void atBoundaryOnlyBetweenFrames() throws Http2Exception {
        FrameReader r = new FrameReader(16_384);
        byte[] all = sequence();
        assertThat(r.atBoundary()).isTrue();
        assertThat(r.next(ByteBuffer.wrap(all, 0, 4))).isNull();
        assertThat(r.atBoundary()).isFalse();
    }

    private static List<String> readAll(FrameReader r, List<ByteBuffer> parts) throws Http2Exception {
        List<String> out = new ArrayList<>();
        for (ByteBuffer part : parts) {
            Frame f;
            while ((f = r.next(part)) != null) {
                out.add(describe(f));
            }
            assertThat(part.hasRemaining()).isFalse();
        }
        assertThat(r.atBoundary()).isTrue();
        return out;
    }
}
