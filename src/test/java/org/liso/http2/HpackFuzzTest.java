package org.liso.http2;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Invariants of HPACK. Any byte string: the decoder either decodes it or raises COMPRESSION_ERROR, nothing else, and
 * its table stays within the advertised size. Any fields: what the encoder writes, a fresh decoder reads back.
 */
class HpackFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void decodeAnything(byte[] input) {
        HpackDecoder d = new HpackDecoder(256, 4096);
        try {
            d.decode(ByteBuffer.wrap(input), (n, v, never) -> { });
        } catch (Http2Exception e) {
            assertThat(e.code()).isEqualTo(ErrorCode.COMPRESSION_ERROR);
        }
        assertThat(d.table().size()).isLessThanOrEqualTo(256);
    }

    @FuzzTest(maxDuration = "60s")
    void encodeThenDecode(FuzzedDataProvider data) throws Http2Exception {
        HpackEncoder e = new HpackEncoder(data.consumeInt(0, 8192));
        HpackDecoder d = new HpackDecoder(4096, Integer.MAX_VALUE);
        for (int block = data.consumeInt(1, 4); block > 0 && data.remainingBytes() > 0; block--) {
            if (data.consumeBoolean()) {
                e.peerTableSize(data.consumeInt(0, 4096));
            }
            e.startBlock();
            List<String> sent = new ArrayList<>();
            for (int i = data.consumeInt(0, 8); i > 0; i--) {
                String name = data.consumeAsciiString(20).toLowerCase();
                String value = data.consumeAsciiString(100);
                boolean sensitive = data.consumeBoolean();
                e.field(name, value, sensitive);
                sent.add(name + "\0" + value + "\0" + sensitive);
            }
            List<String> got = new ArrayList<>();
            d.decode(e.block(), (n, v, never) -> got.add(n + "\0" + v + "\0" + never));
            // A field found whole in the static table comes back unflagged; everything else exactly.
            assertThat(got).hasSameSizeAs(sent);
            for (int i = 0; i < got.size(); i++) {
                String[] s = sent.get(i).split("\0", -1);
                String[] g = got.get(i).split("\0", -1);
                assertThat(g[0]).isEqualTo(s[0]);
                assertThat(g[1]).isEqualTo(s[1]);
                if (s[2].equals("true")) {
                    assertThat(g[2]).isEqualTo("true");
                }
            }
        }
    }
}
