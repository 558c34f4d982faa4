package org.liso.http2;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HpackEncoderTest {

    private static String block(HpackEncoder e, String... fields) {
        e.startBlock();
        for (String f : fields) {
            int colon = f.indexOf(": ");
            e.field(f.substring(0, colon), f.substring(colon + 2), false);
        }
        return Hex.of(e.block());
    }

    @Test
    void reproducesAppendixC4() {
        HpackEncoder e = new HpackEncoder(4096);
        assertThat(block(e, ":method: GET", ":scheme: http", ":path: /", ":authority: www.example.com"))
                .isEqualTo("828684418cf1e3c2e5f23a6ba0ab90f4ff");
        assertThat(block(e, ":method: GET", ":scheme: http", ":path: /", ":authority: www.example.com",
                "cache-control: no-cache")).isEqualTo("828684be5886a8eb10649cbf");
        assertThat(block(e, ":method: GET", ":scheme: https", ":path: /index.html", ":authority: www.example.com",
                "custom-key: custom-value")).isEqualTo("828785bf408825a849e95ba97d7f8925a849e95bb8e8b4bf");
    }

    @Test
    void sensitiveFieldsAreNeverIndexed() throws Http2Exception {
        HpackEncoder e = new HpackEncoder(4096);
        e.startBlock();
        e.field("set-cookie", "id=1", true);
        e.field("set-cookie", "id=1", true);
        HpackDecoder d = new HpackDecoder(4096, 1 << 16);
        List<String> got = new ArrayList<>();
        d.decode(e.block(), (n, v, never) -> got.add(n + "=" + v + ":" + never));
        assertThat(got).containsExactly("set-cookie=id=1:true", "set-cookie=id=1:true");
        assertThat(d.table().count()).isZero();
    }

    @Test
    void aSmallerPeerTableIsSignalledLowestThenFinal() throws Http2Exception {
        HpackEncoder e = new HpackEncoder(4096);
        block(e, "server: liso");
        e.peerTableSize(0);
        e.peerTableSize(100);
        String hex = block(e, "server: liso");
        assertThat(hex).startsWith("20" + "3f45"); // 0, then 100 (31 + 69)
        HpackDecoder d = new HpackDecoder(4096, 1 << 16);
        d.decode(Hex.buffer(hex), (n, v, never) -> { });
        assertThat(d.table().maxSize()).isEqualTo(100);
    }

    @Test
    void aCapBelowTheDefaultIsSignalledInTheFirstBlock() {
        assertThat(block(new HpackEncoder(0), ":status: 200")).isEqualTo("2088");
    }

    @Test
    void randomResponsesRoundTripThroughOneTableAcrossBlocks() throws Http2Exception {
        Random random = new Random(9113);
        String[] names = {":status", "content-type", "server", "date", "etag", "x-custom", "cache-control", "vary"};
        HpackEncoder e = new HpackEncoder(4096);
        HpackDecoder d = new HpackDecoder(4096, 1 << 20);
        for (int block = 0; block < 500; block++) {
            if (random.nextInt(50) == 0) {
                int size = random.nextInt(4097);
                e.peerTableSize(size);
            }
            List<String> sent = new ArrayList<>();
            e.startBlock();
            for (int i = random.nextInt(12); i > 0; i--) {
                String name = names[random.nextInt(names.length)];
                byte[] v = new byte[random.nextInt(3) == 0 ? random.nextInt(300) : random.nextInt(3)];
                for (int j = 0; j < v.length; j++) {
                    v[j] = (byte) (0x20 + random.nextInt(random.nextBoolean() ? 3 : 0xdf));
                }
                String value = new String(v, StandardCharsets.ISO_8859_1);
                boolean sensitive = random.nextInt(10) == 0;
                e.field(name, value, sensitive);
                sent.add(name + "=" + value + ":" + sensitive);
            }
            List<String> got = new ArrayList<>();
            d.decode(e.block(), (n, v, never) -> got.add(n + "=" + v + ":" + never));
            assertThat(got).as("block %d", block).isEqualTo(sent);
        }
    }
}
