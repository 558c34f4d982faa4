package org.liso.listen;

import java.io.PrintStream;
import java.nio.ByteBuffer;

/** The {@code --hex} form: {@code [1 127.0.0.1:5000] 00000010  48 65 6c 6c 6f 0a  |Hello.|}, 16 bytes a line. */
final class HexLines {
    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    private HexLines() {
    }

    /** Writes {@code data} as hex lines tagged {@code tag}; {@code offset[0]} counts this connection's bytes. */
    static void write(PrintStream out, String tag, long[] offset, ByteBuffer data) {
        while (data.hasRemaining()) {
            int n = Math.min(16, data.remaining());
            StringBuilder sb = new StringBuilder(tag.length() + 80).append(tag).append(' ');
            String off = Long.toHexString(offset[0]);
            sb.append("0".repeat(Math.max(0, 8 - off.length()))).append(off).append("  ");
            StringBuilder ascii = new StringBuilder(16);
            for (int i = 0; i < 16; i++) {
                if (i < n) {
                    int b = data.get() & 0xff;
                    sb.append(DIGITS[b >> 4]).append(DIGITS[b & 15]).append(' ');
                    ascii.append(b >= 0x20 && b < 0x7f ? (char) b : '.');
                } else {
                    sb.append("   ");
                }
            }
            out.println(sb.append(" |").append(ascii).append('|'));
            offset[0] += n;
        }
    }
}
