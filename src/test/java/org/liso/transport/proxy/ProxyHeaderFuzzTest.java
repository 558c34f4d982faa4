package org.liso.transport.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;

/**
 * Invariants of the PROXY header decoder on any bytes: read whole or cut at any point it gives the same header or
 * the same refusal, raises nothing but {@link ProxyHeaderException}, never takes a byte past the header it returns,
 * and {@link ProxyHeaderDecoder#wanted()} never asks for a byte past it either.
 */
class ProxyHeaderFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void anyBytesAnySplit(FuzzedDataProvider data) {
        int cut = data.consumeInt(0, 1 << 17);
        byte[] bytes = data.consumeRemainingAsBytes();
        cut = Math.min(cut, bytes.length);
        ByteBuffer whole = ByteBuffer.wrap(bytes);
        String once = decode(new ProxyHeaderDecoder(), whole);
        int headerEnd = whole.position();

        ProxyHeaderDecoder d = new ProxyHeaderDecoder();
        ByteBuffer first = ByteBuffer.wrap(bytes, 0, cut).slice();
        String split = decode(d, first);
        int taken = first.position();
        if (split.equals("incomplete")) {
            ByteBuffer rest = ByteBuffer.wrap(bytes, cut, bytes.length - cut).slice();
            split = decode(d, rest);
            taken += rest.position();
        }
        assertThat(split).isEqualTo(once);
        if (once.startsWith("header")) {
            assertThat(taken).isEqualTo(headerEnd);
        }

        ProxyHeaderDecoder w = new ProxyHeaderDecoder();
        ByteBuffer stream = ByteBuffer.wrap(bytes);
        String byWanted = "incomplete";
        while (byWanted.equals("incomplete") && stream.hasRemaining()) {
            int n = w.wanted();
            assertThat(n).isPositive();
            ByteBuffer piece = stream.slice(stream.position(), Math.min(n, stream.remaining()));
            byWanted = decode(w, piece);
            stream.position(stream.position() + piece.position());
        }
        assertThat(byWanted).isEqualTo(once);
        if (once.startsWith("header")) {
            assertThat(stream.position()).isEqualTo(headerEnd);
            assertThat(w.wanted()).isZero();
        }
    }

    private static String decode(ProxyHeaderDecoder d, ByteBuffer src) {
        try {
            ProxyHeader h = d.decode(src);
            return h == null ? "incomplete" : "header " + h;
        } catch (ProxyHeaderException e) {
            return "refused " + e.getMessage();
        }
    }
}
