package org.liso.http2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 7541 Appendix C, example by example, with the dynamic table checked after each block. */
class HpackDecoderTest {

    private final List<String> fields = new ArrayList<>();

    private List<String> decode(HpackDecoder d, String hex) throws Http2Exception {
        fields.clear();
        assertThat(d.decode(Hex.buffer(hex), (n, v, never) -> fields.add(n + ": " + v + (never ? " (never)" : ""))))
                .isTrue();
        return List.copyOf(fields);
    }

    private static List<String> table(HpackDecoder d) {
        List<String> t = new ArrayList<>();
        for (int i = 1; i <= d.table().count(); i++) {
            t.add(d.table().name(i) + ": " + d.table().value(i));
        }
        return t;
    }

    @Test
    void c2SingleRepresentations() throws Http2Exception {
        HpackDecoder d = new HpackDecoder(4096, 1 << 16);
        assertThat(decode(d, "400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572"))
                .containsExactly("custom-key: custom-header");
        assertThat(d.table().size()).isEqualTo(55);
        d = new HpackDecoder(4096, 1 << 16);
        assertThat(decode(d, "040c 2f73 616d 706c 652f 7061 7468")).containsExactly(":path: /sample/path");
        assertThat(d.table().count()).isZero();
        assertThat(decode(d, "1008 7061 7373 776f 7264 0673 6563 7265 74"))
                .containsExactly("password: secret (never)");
        assertThat(d.table().count()).isZero();
        assertThat(decode(d, "82")).containsExactly(":method: GET");
    }

    @Test
    void c3RequestsWithoutHuffman() throws Http2Exception {
        HpackDecoder d = new HpackDecoder(4096, 1 << 16);
        assertThat(decode(d, "8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d")).containsExactly(
                ":method: GET", ":scheme: http", ":path: /", ":authority: www.example.com");
        assertThat(d.table().size()).isEqualTo(57);
        assertThat(decode(d, "8286 84be 5808 6e6f 2d63 6163 6865")).containsExactly(
                ":method: GET", ":scheme: http", ":path: /", ":authority: www.example.com",
                "cache-control: no-cache");
        assertThat(d.table().size()).isEqualTo(110);
        assertThat(decode(d, "8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65"))
                .containsExactly(":method: GET", ":scheme: https", ":path: /index.html",
                        ":authority: www.example.com", "custom-key: custom-value");
        assertThat(table(d)).containsExactly("custom-key: custom-value", "cache-control: no-cache",
                ":authority: www.example.com");
        assertThat(d.table().size()).isEqualTo(164);
    }

    @Test
    void c4RequestsWithHuffman() throws Http2Exception {
        HpackDecoder d = new HpackDecoder(4096, 1 << 16);
        assertThat(decode(d, "8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff")).containsExactly(
                ":method: GET", ":scheme: http", ":path: /", ":authority: www.example.com");
        assertThat(decode(d, "8286 84be 5886 a8eb 1064 9cbf")).endsWith("cache-control: no-cache");
        assertThat(decode(d, "8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf"))
                .endsWith("custom-key: custom-value");
        assertThat(d.table().size()).isEqualTo(164);
    }

    @Test
    void c5AndC6ResponsesEvictFromA256OctetTable() throws Http2Exception {
        HpackDecoder plain = new HpackDecoder(256, 1 << 16);
        assertThat(decode(plain, "4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133"
                + "2032 303a 3133 3a32 3120 474d 546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70 6c65 2e63 6f6d"))
                .containsExactly(":status: 302", "cache-control: private", "date: Mon, 21 Oct 2013 20:13:21 GMT",
                        "location: https://www.example.com");
        assertThat(plain.table().size()).isEqualTo(222);
        // C.5.2: ":status: 307" no longer fits: the oldest entry (":status: 302") is evicted.
        assertThat(decode(plain, "4803 3330 37c1 c0bf")).containsExactly(":status: 307", "cache-control: private",
                "date: Mon, 21 Oct 2013 20:13:21 GMT", "location: https://www.example.com");
        assertThat(table(plain)).containsExactly(":status: 307", "location: https://www.example.com",
                "date: Mon, 21 Oct 2013 20:13:21 GMT", "cache-control: private");
        assertThat(plain.table().size()).isEqualTo(222);

        HpackDecoder huffman = new HpackDecoder(256, 1 << 16);
        assertThat(decode(huffman, "4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0"
                + "82a6 2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3"))
                .containsExactly(":status: 302", "cache-control: private", "date: Mon, 21 Oct 2013 20:13:21 GMT",
                        "location: https://www.example.com");
        assertThat(huffman.table().size()).isEqualTo(222);
    }

    @Test
    void indexZeroAndIndicesBeyondTheTablesAreCompressionErrors() {
        HpackDecoder d = new HpackDecoder(4096, 1 << 16);
        assertThatThrownBy(() -> decode(d, "80")).isInstanceOf(Http2Exception.class)
                .satisfies(e -> assertThat(((Http2Exception) e).code()).isEqualTo(ErrorCode.COMPRESSION_ERROR));
        assertThatThrownBy(() -> decode(d, "be")).hasMessageContaining("beyond");
    }

    @Test
    void truncatedRepresentationsAreErrors() {
        for (String hex : new String[] {"ff", "ff80", "41", "410f7777", "40", "400a6375", "00"}) {
            HpackDecoder d = new HpackDecoder(4096, 1 << 16);
            assertThatThrownBy(() -> decode(d, hex)).as(hex).isInstanceOf(Http2Exception.class);
        }
    }

    @Test
    void integersAreBoundedInValueAndLength() {
        HpackDecoder d = new HpackDecoder(4096, 1 << 16);
        assertThatThrownBy(() -> decode(d, "ffffffffff0f")).hasMessageContaining("too large");
        assertThatThrownBy(() -> decode(d, "ff8080808080808000")).hasMessageContaining("too many octets");
    }

    @Test
    void tableSizeUpdatesMustComeFirstAndStayWithinTheLimit() throws Http2Exception {
        HpackDecoder d = new HpackDecoder(4096, 1 << 16);
        assertThat(decode(d, "3fe11f 82")).containsExactly(":method: GET"); // 4096: allowed
        assertThat(d.table().maxSize()).isEqualTo(4096);
        assertThatThrownBy(() -> decode(d, "3fe21f")).hasMessageContaining("above");
        HpackDecoder late = new HpackDecoder(4096, 1 << 16);
        assertThatThrownBy(() -> decode(late, "82 20")).hasMessageContaining("after a field");
    }

    @Test
    void aLoweredLimitRequiresAnUpdateAtTheStartOfTheNextBlock() throws Http2Exception {
        HpackDecoder d = new HpackDecoder(4096, 1 << 16);
        decode(d, "400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572");
        d.setLimit(0);
        assertThatThrownBy(() -> decode(d, "82")).hasMessageContaining("must open");
        HpackDecoder ok = new HpackDecoder(4096, 1 << 16);
        decode(ok, "400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572");
        ok.setLimit(0);
        assertThat(decode(ok, "20 82")).containsExactly(":method: GET");
        assertThat(ok.table().count()).isZero();
    }

    @Test
    void anOversizedListStopsReachingTheSinkButKeepsTheTableInStep() throws Http2Exception {
        // One 55-octet entry referenced 1,000 times is a 55 KB list from a 1 KB block (the HPACK bomb).
        StringBuilder hex = new StringBuilder("400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572");
        for (int i = 0; i < 1_000; i++) {
            hex.append("be");
        }
        HpackDecoder d = new HpackDecoder(4096, 1_000);
        List<String> got = new ArrayList<>();
        assertThat(d.decode(Hex.buffer(hex.toString()), (n, v, never) -> got.add(n))).isFalse();
        assertThat(got).hasSize(18); // 18 x 55 = 990 <= 1,000
        assertThat(d.table().count()).isEqualTo(1);
        assertThat(decode(d, "be")).containsExactly("custom-key: custom-header");
    }
}
