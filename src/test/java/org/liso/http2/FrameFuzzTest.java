package org.liso.http2;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Invariants of the frame layer on any byte stream: reading it whole or cut at any point gives the same frames and
 * the same error; each frame's payload checker either accepts it or raises an {@link Http2Exception}, nothing else.
 */
class FrameFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void anyStreamAnySplit(FuzzedDataProvider data) {
        int cut = data.consumeInt(0, 1 << 16);
        byte[] bytes = data.consumeRemainingAsBytes();
        cut = Math.min(cut, bytes.length);
        List<String> whole = read(List.of(ByteBuffer.wrap(bytes)));
        List<String> split = read(List.of(ByteBuffer.wrap(bytes, 0, cut).slice(),
                ByteBuffer.wrap(bytes, cut, bytes.length - cut).slice()));
        assertThat(split).isEqualTo(whole);
    }

    private static List<String> read(List<ByteBuffer> parts) {
        FrameReader r = new FrameReader(1 << 14);
        List<String> out = new ArrayList<>();
        try {
            for (ByteBuffer part : parts) {
                Frame f;
                while ((f = r.next(part)) != null) {
                    byte[] p = new byte[f.length()];
                    f.payload().duplicate().get(p);
                    out.add(f + " " + HexFormat.of().formatHex(p) + " " + check(f));
                }
            }
        } catch (Http2Exception e) {
            out.add(e.toString());
        }
        return out;
    }

    private static String check(Frame f) {
        try {
            switch (f.type()) {
                case FrameType.DATA -> FramePayloads.data(f);
                case FrameType.HEADERS -> FramePayloads.headers(f);
                case FrameType.PRIORITY -> FramePayloads.priority(f);
                case FrameType.RST_STREAM -> FramePayloads.rstStream(f);
                case FrameType.SETTINGS -> FramePayloads.settings(f, new Settings());
                case FrameType.PING -> FramePayloads.ping(f);
                case FrameType.GOAWAY -> FramePayloads.goAway(f);
                case FrameType.WINDOW_UPDATE -> FramePayloads.windowUpdate(f);
                case FrameType.CONTINUATION -> FramePayloads.continuation(f);
                default -> {
                    return "ignored";
                }
            }
            return "ok";
        } catch (Http2Exception e) {
            return e.toString();
        }
    }
}
