package org.liso.http2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HuffmanTest {

    /** A sample of Appendix B's printed codes (hex, aligned to the LSB): the rebuilt canonical code must match. */
    @Test
    void rebuiltCodesMatchTheRfcsTable() {
        int[][] printed = {
            {0, 0x1ff8, 13}, {1, 0x7fffd8, 23}, {9, 0xffffea, 24}, {10, 0x3ffffffc, 30}, {13, 0x3ffffffd, 30},
            {22, 0x3ffffffe, 30}, {32, 0x14, 6}, {'!', 0x3f8, 10}, {'0', 0x0, 5}, {'9', 0x1f, 6}, {':', 0x5c, 7},
            {'<', 0x7ffc, 15}, {'A', 0x21, 6}, {'X', 0xfc, 8}, {'\\', 0x7fff0, 19}, {'a', 0x3, 5}, {'z', 0x7b, 7},
            {'~', 0x1ffd, 13}, {127, 0xffffffc, 28}, {128, 0xfffe6, 20}, {153, 0x1fffdc, 21}, {192, 0x3ffffe0, 26},
            {195, 0x7fff1, 19}, {199, 0x1ffffec, 25}, {203, 0x7ffffde, 27}, {208, 0x7fff2, 19},
            {220, 0xffffffd, 28}, {249, 0xffffffe, 28}, {254, 0x7fffff0, 27}, {255, 0x3ffffee, 26},
            {256, 0x3fffffff, 30},
        };
        for (int[] p : printed) {
            assertThat(Huffman.length(p[0])).as("length of %d", p[0]).isEqualTo(p[2]);
            assertThat(Huffman.code(p[0])).as("code of %d", p[0]).isEqualTo(p[1]);
        }
    }

    @Test
    void theCodeIsComplete() {
        // Kraft's sum of a complete prefix code is exactly 1: no gaps, no overlaps.
        long sum = 0;
        for (int s = 0; s <= Huffman.EOS; s++) {
            sum += 1L << (30 - Huffman.length(s));
        }
        assertThat(sum).isEqualTo(1L << 30);
    }

    @Test
    void appendixCStrings() throws Http2Exception {
        assertThat(encode("www.example.com")).isEqualTo("f1e3c2e5f23a6ba0ab90f4ff");
        assertThat(encode("no-cache")).isEqualTo("a8eb10649cbf");
        assertThat(encode("custom-key")).isEqualTo("25a849e95ba97d7f");
        assertThat(encode("custom-value")).isEqualTo("25a849e95bb8e8b4bf");
        assertThat(encode("Mon, 21 Oct 2013 20:13:21 GMT"))
                .isEqualTo("d07abe941054d444a8200595040b8166e082a62d1bff");
        assertThat(decode("9d29ad171863c78f0b97c8e9ae82ae43d3")).isEqualTo("https://www.example.com");
    }

    @Test
    void everyByteRoundTrips() throws Http2Exception {
        Random random = new Random(7541);
        for (int round = 0; round < 2_000; round++) {
            byte[] raw = new byte[random.nextInt(40)];
            random.nextBytes(raw);
            String s = new String(raw, StandardCharsets.ISO_8859_1);
            assertThat(decode(encode(s))).isEqualTo(s);
            assertThat(Hex.bytes(encode(s))).hasSize(Huffman.encodedLength(s));
        }
    }

    @Test
    void paddingMustBeShortAndAllOnes() {
        // "0" is 00000: padded with 111 it is 0x07. Padded with zeros, or by a whole extra octet of ones, it is wrong.
        assertThatThrownBy(() -> decode("00")).isInstanceOf(Http2Exception.class).hasMessageContaining("padding");
        assertThatThrownBy(() -> decode("07ff")).isInstanceOf(Http2Exception.class).hasMessageContaining("padding");
    }

    @Test
    void eosInsideAStringIsAnError() {
        // EOS is 30 one-bits; four octets of ones hold it.
        assertThatThrownBy(() -> decode("ffffffff")).isInstanceOf(Http2Exception.class)
                .hasMessageContaining("EOS");
    }

    private static String encode(String s) {
        BlockWriter w = new BlockWriter(4);
        Huffman.encode(s, w);
        return Hex.of(w.view());
    }

    private static String decode(String hex) throws Http2Exception {
        byte[] in = Hex.bytes(hex);
        byte[] out = new byte[in.length * 8 / 5 + 1];
        int n = Huffman.decode(in, 0, in.length, out);
        return new String(out, 0, n, StandardCharsets.ISO_8859_1);
    }
}
