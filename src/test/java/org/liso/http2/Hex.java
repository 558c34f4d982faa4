package org.liso.http2;

import java.nio.ByteBuffer;
import java.util.HexFormat;

/** Hex dumps as the RFCs print them ("8286 8441 ..."), spaces ignored. */
final class Hex {
    private Hex() {
    }

    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("\\s+", ""));
    }

    static ByteBuffer buffer(String hex) {
        return ByteBuffer.wrap(bytes(hex));
    }

    static String of(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return HexFormat.of().formatHex(a);
    }
}
