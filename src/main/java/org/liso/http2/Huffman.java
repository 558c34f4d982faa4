package org.liso.http2;

/**
 * The static Huffman code of RFC 7541 Appendix B. The code is canonical: within one length, codes rise with the
 * symbol, and each length starts where the previous one ended, shifted by one bit. So the bit lengths alone define
 * it, and the codes are rebuilt from them at class load (the test checks them against the RFC's printed values).
 */
final class Huffman {
    static final int EOS = 256;

    /** Bit length of each symbol's code, 0..255 and EOS, in the order of Appendix B. */
    private static final byte[] LENGTHS = {
        13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28,
        28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 28,
        6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6,
        5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12, 10,
        13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
        7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6,
        15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5,
        6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28,
        20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23,
        24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24,
        22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23,
        21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23,
        26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25,
        19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27,
        20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23,
        26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26,
        30,
    };
    private static final int MAX_LENGTH = 30;

    private static final int[] CODES = new int[257];
    /** Symbols sorted by (length, symbol): the order in which canonical codes are handed out. */
    private static final int[] SORTED = new int[257];
    /** Per length: the first code of that length, and where its symbols start in SORTED; count per length. */
    private static final int[] FIRST_CODE = new int[MAX_LENGTH + 2];
    private static final int[] FIRST_INDEX = new int[MAX_LENGTH + 2];
    private static final int[] COUNT = new int[MAX_LENGTH + 2];

    static {
        int n = 0;
        for (int len = 1; len <= MAX_LENGTH; len++) {
            FIRST_INDEX[len] = n;
            for (int sym = 0; sym <= EOS; sym++) {
                if (LENGTHS[sym] == len) {
                    SORTED[n++] = sym;
                    COUNT[len]++;
                }
            }
        }
        int code = 0;
        for (int len = 1; len <= MAX_LENGTH; len++) {
            FIRST_CODE[len] = code;
            for (int i = 0; i < COUNT[len]; i++) {
                CODES[SORTED[FIRST_INDEX[len] + i]] = code++;
            }
            code <<= 1;
        }
    }

    private Huffman() {
    }

    static int code(int symbol) {
        return CODES[symbol];
    }

    static int length(int symbol) {
        return LENGTHS[symbol];
    }

    /** Octets the Huffman form of these ISO-8859-1 chars takes, padding included. */
    static int encodedLength(String s) {
        long bits = 0;
        for (int i = 0; i < s.length(); i++) {
            bits += LENGTHS[s.charAt(i) & 0xff];
        }
        return (int) ((bits + 7) >>> 3);
    }

    /** Writes the Huffman form, padded with the most significant bits of EOS (all ones, §5.2). */
    static void encode(String s, BlockWriter out) {
        long acc = 0;
        int bits = 0;
        for (int i = 0; i < s.length(); i++) {
            int sym = s.charAt(i) & 0xff;
            acc = (acc << LENGTHS[sym]) | CODES[sym];
            bits += LENGTHS[sym];
            while (bits >= 8) {
                bits -= 8;
                out.writeByte((int) (acc >>> bits));
            }
            acc &= (1L << bits) - 1;
        }
        if (bits > 0) {
            out.writeByte((int) ((acc << (8 - bits)) | (0xff >>> bits)));
        }
    }

    /**
     * Decodes {@code length} octets at {@code in[from..]} into {@code out} (one byte per symbol).
     *
     * @return the number of bytes written, never more than {@code out.length}
     * @throws Http2Exception COMPRESSION_ERROR for EOS inside the string, padding longer than 7 bits or padding that is
     *         not the prefix of EOS (RFC 7541 §5.2), or output beyond {@code out}
     */
    static int decode(byte[] in, int from, int length, byte[] out) throws Http2Exception {
        int n = 0;
        int code = 0;
        int len = 0;
        boolean allOnes = true;
        for (int i = from; i < from + length; i++) {
            int b = in[i] & 0xff;
            for (int bit = 7; bit >= 0; bit--) {
                int v = (b >>> bit) & 1;
                code = (code << 1) | v;
                allOnes &= v == 1;
                len++;
                int offset = code - FIRST_CODE[len];
                if (offset >= 0 && offset < COUNT[len]) {
                    int sym = SORTED[FIRST_INDEX[len] + offset];
                    if (sym == EOS) {
                        throw Http2Exception.connection(ErrorCode.COMPRESSION_ERROR, "EOS inside a Huffman string");
                    }
                    if (n == out.length) {
                        throw Http2Exception.connection(ErrorCode.COMPRESSION_ERROR, "Huffman string too long");
                    }
                    out[n++] = (byte) sym;
                    code = 0;
                    len = 0;
                    allOnes = true;
                } else if (len == MAX_LENGTH) {
                    throw Http2Exception.connection(ErrorCode.COMPRESSION_ERROR, "no such Huffman code");
                }
            }
        }
        if (len > 7 || !allOnes) {
            throw Http2Exception.connection(ErrorCode.COMPRESSION_ERROR, "bad Huffman padding");
        }
        return n;
    }
}
