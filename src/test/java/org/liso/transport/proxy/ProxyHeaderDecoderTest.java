package org.liso.transport.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The PROXY header decoder on the examples of proxy-protocol.txt and on what it must refuse; every input is also
 * decoded cut at every index, and read in the portions {@link ProxyHeaderDecoder#wanted()} asks for with the next
 * stage's bytes behind it, which must stay unread.
 */
class ProxyHeaderDecoderTest {

    private static final byte[] NEXT = "\u0016\u0003\u0001GET / HTTP/1.1\r\n".getBytes(StandardCharsets.ISO_8859_1);

    @Test
    void v1Tcp4() {
        assertThat(outcome(ascii("PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n")))
                .isEqualTo("v1 192.168.0.1:56324 -> 192.168.0.11:443");
    }

    @Test
    void v1Tcp6CompressedAndMapped() {
        assertThat(outcome(ascii("PROXY TCP6 2001:db8::1 ::1 65535 0\r\n")))
                .isEqualTo("v1 2001:db8:0:0:0:0:0:1:65535 -> 0:0:0:0:0:0:0:1:0");
        assertThat(outcome(ascii("PROXY TCP6 ::ffff:10.0.0.7 ::FFFF:10.0.0.8 1 2\r\n")))
                .isEqualTo("v1 10.0.0.7:1 -> 10.0.0.8:2");
        String longest = "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff";
        assertThat(outcome(ascii("PROXY TCP6 " + longest + " " + longest + " 65535 65535\r\n")))
                .startsWith("v1 ffff:");
    }

    @Test
    void v1UnknownLeavesTheRealEndpoints() {
        assertThat(outcome(ascii("PROXY UNKNOWN\r\n"))).isEqualTo("v1 local");
        String worst = "PROXY UNKNOWN ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"
                + " 65535 65535\r\n";
        assertThat(worst).hasSize(107);
        assertThat(outcome(ascii(worst))).isEqualTo("v1 local");
        assertThat(outcome(ascii("PROXY UNKNOWN whatever \u00ff\r\n"))).isEqualTo("v1 local");
    }

    @Test
    void v1Refusals() {
        for (String bad : new String[] {
                "PROXY TCP4 1.2.3.4 5.6.7.8 1 2\n", // LF alone
                "PROXY TCP4 1.2.3.4 5.6.7.8 1 2\rX\n", // CR alone
                "PROXY  TCP4 1.2.3.4 5.6.7.8 1 2\r\n", // two spaces
                "PROXY TCP4 1.2.3.4 5.6.7.8 1 2 \r\n", // trailing space
                "PROXY TCP5 1.2.3.4 5.6.7.8 1 2\r\n",
                "PROXY TCP4 01.2.3.4 5.6.7.8 1 2\r\n", // leading zero: octal?
                "PROXY TCP4 1.2.3.256 5.6.7.8 1 2\r\n",
                "PROXY TCP4 1.2.3 5.6.7.8 1 2\r\n",
                "PROXY TCP4 ::1 5.6.7.8 1 2\r\n", // family mismatch
                "PROXY TCP6 1.2.3.4 ::1 1 2\r\n",
                "PROXY TCP6 1:2:3:4:5:6:7:8:9 ::1 1 2\r\n",
                "PROXY TCP6 1::2::3 ::1 1 2\r\n",
                "PROXY TCP6 fe80::1%eth0 ::1 1 2\r\n",
                "PROXY TCP4 1.2.3.4 5.6.7.8 65536 2\r\n",
                "PROXY TCP4 1.2.3.4 5.6.7.8 01 2\r\n",
                "PROXY TCP4 1.2.3.4 5.6.7.8 -1 2\r\n",
                "PROXY TCP4 localhost 5.6.7.8 1 2\r\n", // never a name lookup
                "PROXY TCP4 1.2.3.4 5.6.7.8 1\r\n",
                "PROXY\r\n",
                "PROXy TCP4 1.2.3.4 5.6.7.8 1 2\r\n",
                "GET / HTTP/1.1\r\n\r\n",
                "PROXY UNKNOWN " + "x".repeat(92) + "\r\n", // 108 bytes: past the limit
        }) {
            assertThat(outcome(ascii(bad))).as(bad).startsWith("fail:");
        }
    }

    @Test
    void v1RefusesAsSoonAsItCan() {
        assertThat(outcome(ascii("GET"))).startsWith("fail:");
        assertThat(outcome(ascii("PROXX"))).startsWith("fail:");
        assertThat(outcome(ascii("PROXY TCP4 1.2.3.4 5.6.7.8 1 2\r"))).isEqualTo("incomplete");
    }

    @Test
    void v2Tcp4AndTcp6() {
        byte[] v4 = V2Bytes.proxy(0x11).bytes(203, 0, 113, 7, 127, 0, 0, 1).port(40000).port(80).build();
        assertThat(outcome(v4)).isEqualTo("v2 203.0.113.7:40000 -> 127.0.0.1:80");
        byte[] v6 = V2Bytes.proxy(0x21).bytes(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x42)
                .bytes(new int[16]).port(1).port(443).build();
        assertThat(outcome(v6)).isEqualTo("v2 2001:db8:0:0:0:0:0:42:1 -> 0:0:0:0:0:0:0:0:443");
    }

    @Test
    void v2LocalUnspecUnixAndUdpLeaveTheRealEndpoints() {
        assertThat(outcome(V2Bytes.local().build())).isEqualTo("v2 local");
        // LOCAL: the family is ignored and the length still skipped (it "must not assume zero").
        assertThat(outcome(V2Bytes.raw(0x20, 0x11).bytes(1, 2, 3, 4, 5, 6, 7, 8, 0, 1, 0, 2).build()))
                .isEqualTo("v2 local");
        assertThat(outcome(V2Bytes.proxy(0x00).bytes(9, 9, 9).build())).isEqualTo("v2 local");
        assertThat(outcome(V2Bytes.proxy(0x31).bytes(new int[216]).build())).isEqualTo("v2 local");
        assertThat(outcome(V2Bytes.proxy(0x12).bytes(1, 2, 3, 4, 5, 6, 7, 8, 0, 1, 0, 2).build()))
                .isEqualTo("v2 local");
    }

    @Test
    void v2TlvsAreSkippedAndItsCrcChecked() {
        byte[] withTlvs = V2Bytes.proxy(0x11).bytes(10, 0, 0, 1, 10, 0, 0, 2).port(1).port(2)
                .tlv(0x02, "example.com".getBytes(StandardCharsets.UTF_8)).tlv(0x04, new byte[0]).crc()
                .tlv(0xE0, new byte[300]).build();
        assertThat(outcome(withTlvs)).isEqualTo("v2 10.0.0.1:1 -> 10.0.0.2:2");
        byte[] corrupt = withTlvs.clone();
        corrupt[corrupt.length - 1] ^= 1;
        assertThat(outcome(corrupt)).isEqualTo("fail: PROXY v2 CRC32C mismatch");
    }

    @Test
    void v2Refusals() {
        byte[] good = V2Bytes.proxy(0x11).bytes(1, 2, 3, 4, 5, 6, 7, 8).port(1).port(2).build();
        for (int i = 0; i < 12; i++) {
            byte[] bad = good.clone();
            bad[i] ^= 0x40;
            assertThat(outcome(bad)).as("signature byte " + i).startsWith("fail:");
        }
        assertThat(outcome(V2Bytes.raw(0x11, 0x11).build())).as("version 1 in binary").startsWith("fail:");
        assertThat(outcome(V2Bytes.raw(0x22, 0x11).build())).as("command 2").startsWith("fail:");
        assertThat(outcome(V2Bytes.proxy(0x41).build())).as("family 4").startsWith("fail:");
        assertThat(outcome(V2Bytes.proxy(0x13).build())).as("protocol 3").startsWith("fail:");
        assertThat(outcome(V2Bytes.proxy(0x10).bytes(new int[12]).build())).as("AF_INET, UNSPEC")
                .startsWith("fail:");
        assertThat(outcome(V2Bytes.proxy(0x11).bytes(new int[11]).build())).as("short address")
                .startsWith("fail:");
        assertThat(outcome(V2Bytes.proxy(0x11).bytes(new int[12]).bytes(0xE0, 0).build()))
                .as("TLV head cut").startsWith("fail:");
        assertThat(outcome(V2Bytes.proxy(0x11).bytes(new int[12]).bytes(0xE0, 0, 5, 1, 2).build()))
                .as("TLV value past the end").startsWith("fail:");
        assertThat(outcome(V2Bytes.proxy(0x11).bytes(new int[12]).tlv(0x03, new byte[3]).build()))
                .as("CRC of 3 bytes").startsWith("fail:");
        assertThat(outcome(V2Bytes.proxy(0x11).bytes(new int[12]).crc().crc().build()))
                .as("two CRCs").startsWith("fail:");
    }

    @Test
    void theLargestV2HeaderIsReadAndSkipped() {
        byte[] h = V2Bytes.proxy(0x11).bytes(1, 2, 3, 4, 5, 6, 7, 8).port(1).port(2)
                .tlv(0xE1, new byte[65535 - 12 - 3]).build();
        assertThat(h).hasSize(16 + 65535);
        assertThat(outcome(h)).isEqualTo("v2 1.2.3.4:1 -> 5.6.7.8:2");
    }

    @Test
    void aFailureStays() throws Exception {
        ProxyHeaderDecoder d = new ProxyHeaderDecoder();
        assertThat(decode(d, ascii("X"))).startsWith("fail:");
        assertThat(decode(d, ascii("PROXY UNKNOWN\r\n"))).startsWith("fail:");
        assertThat(d.wanted()).isZero();
    }

    // ---- harness ----

    /**
     * The outcome of decoding {@code bytes} whole, after checking it is the same cut at every index and, for a
     * complete input, read by {@code wanted()} portions from a stream that goes on past it, leaving those bytes
     * unread.
     */
    private static String outcome(byte[] bytes) {
        String whole = decode(new ProxyHeaderDecoder(), bytes);
        int step = bytes.length > 4096 ? 997 : 1; // the 64 KiB header: a sample of cuts
        for (int cut = 0; cut <= bytes.length; cut += step) {
            ProxyHeaderDecoder d = new ProxyHeaderDecoder();
            String first = decode(d, Arrays.copyOfRange(bytes, 0, cut));
            String split = first.equals("incomplete") ? decode(d, Arrays.copyOfRange(bytes, cut, bytes.length))
                    : first;
            assertThat(split).as("cut at %d", cut).isEqualTo(whole);
        }
        if (!whole.equals("incomplete")) { // the bytes behind a cut-off header would only continue it
            assertThat(byWanted(bytes)).as("read by wanted()").isEqualTo(whole);
        }
        return whole;
    }

    /** Feeds {@code header + NEXT} in pieces of at most wanted() bytes; a finished header leaves NEXT whole. */
    private static String byWanted(byte[] header) {
        ByteBuffer stream = ByteBuffer.allocate(header.length + NEXT.length).put(header).put(NEXT).flip();
        ProxyHeaderDecoder d = new ProxyHeaderDecoder();
        String result = "incomplete";
        while (stream.hasRemaining() && result.equals("incomplete")) {
            int n = d.wanted();
            assertThat(n).isPositive();
            ByteBuffer piece = stream.slice(stream.position(), Math.min(n, stream.remaining()));
            result = decode(d, piece);
            if (!result.startsWith("fail:")) {
                assertThat(piece.hasRemaining()).as("the decoder took all it asked for").isFalse();
            }
            stream.position(stream.position() + piece.position());
        }
        if (!result.startsWith("fail:") && !result.equals("incomplete")) {
            assertThat(stream.position()).as("nothing read past the header").isEqualTo(header.length);
        }
        return result;
    }

    private static String decode(ProxyHeaderDecoder d, byte[] bytes) {
        return decode(d, ByteBuffer.wrap(bytes));
    }

    private static String decode(ProxyHeaderDecoder d, ByteBuffer src) {
        try {
            ProxyHeader h = d.decode(src);
            if (h == null) {
                assertThat(src.hasRemaining()).isFalse();
                return "incomplete";
            }
            return "v" + h.version() + " " + (h.relayed() ? text(h.source()) + " -> " + text(h.destination())
                    : "local");
        } catch (ProxyHeaderException e) {
            return "fail: " + e.getMessage();
        }
    }

    private static String text(InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
