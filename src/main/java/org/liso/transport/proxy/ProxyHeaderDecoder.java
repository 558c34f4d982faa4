package org.liso.transport.proxy;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Reads one PROXY protocol header, version 1 or 2 (HAProxy's proxy-protocol.txt), from bytes that may come in any
 * pieces: {@link #decode} takes what it is given up to the end of the header and resumes at the next byte on the
 * next call. It never takes a byte past the header, and {@link #wanted()} says how many it can take next without
 * going past it, so a caller can read the socket exactly up to the header's end and leave what follows (a TLS
 * ClientHello) to the next stage untouched. Pure: no channels, no threads; one decoder per connection.
 *
 * <pre>
 *   START --'P'--> V1_LINE --CRLF, line valid----------------------------------------------> DONE
 *     \                                                                                     ^
 *      \--'\r'--> V2_FIXED --16 bytes--> V2_ADDRESS --family's address bytes--> V2_TLV ----/
 *                     \--LOCAL, AF_UNSPEC----------> V2_SKIP --length bytes----------------/
 *   any state --a byte the grammar does not allow--> FAILED
 * </pre>
 *
 * <p>Limits come from the protocol itself: a v1 line has at most 107 bytes with its CRLF (§2.1), a v2 header at
 * most 16 + 65535 (§2.2), of which only the address block (36 bytes at most) is kept; TLVs are checked for framing,
 * a CRC32C TLV (§2.2.3) is verified, the others are skipped.
 */
public final class ProxyHeaderDecoder {

    enum State { START, V1_LINE, V2_FIXED, V2_ADDRESS, V2_TLV, V2_SKIP, DONE, FAILED }

    /** §2.1: "PROXY UNKNOWN\r\n" is the shortest valid line, and a v2 header is longer still. */
    static final int SHORTEST = 15;
    static final int V1_MAX = 107;
    private static final byte[] V1_PREFIX = {'P', 'R', 'O', 'X', 'Y', ' '};
    static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    private static final int TLV_CRC32C = 0x03;

    private State state = State.START;
    private ProxyHeaderException failure;
    private ProxyHeader header;

    // version 1
    private final byte[] line = new byte[V1_MAX];
    private int lineLength;
    private int shortestLine = SHORTEST;

    // version 2
    private final byte[] fixed = new byte[16];
    private int fixedLength;
    private int remaining; // bytes of the header after the fixed part still to come
    private int family; // high nibble of byte 14
    private int addressLength;
    private final byte[] address = new byte[36];
    private int addressRead;
    private final byte[] tlvHead = new byte[3];
    private int tlvHeadRead;
    private int tlvValueLeft;
    private boolean inCrcValue;
    private boolean crcSeen;
    private long crcSent;
    private final CRC32C crc = new CRC32C();

    /**
     * Takes bytes from {@code src} (advancing its position) up to the end of the header.
     *
     * @return the header once it is complete (then again on every later call, taking nothing); null while more
     *         bytes are needed
     * @throws ProxyHeaderException at the first byte that cannot belong to a header (and on every later call)
     */
    public ProxyHeader decode(ByteBuffer src) throws ProxyHeaderException {
        if (state == State.FAILED) {
            throw failure;
        }
        try {
            while (state != State.DONE && src.hasRemaining()) {
                if (state == State.V2_SKIP) {
                    int n = Math.min(remaining, src.remaining());
                    src.position(src.position() + n);
                    remaining -= n;
                    if (remaining == 0) {
                        state = State.DONE;
                    }
                } else {
                    step(src.get());
                }
            }
        } catch (ProxyHeaderException e) {
            state = State.FAILED;
            failure = e;
            throw e;
        }
        return state == State.DONE ? header : null;
    }

    /**
     * How many bytes {@link #decode} can take next without any of them lying past the header: at least 1 until the
     * header is done, 0 after (or after a failure).
     */
    public int wanted() {
        return switch (state) {
            case START -> SHORTEST;
            case V1_LINE -> Math.max(lineLength > 0 && line[lineLength - 1] == '\r' ? 1 : 2,
                    shortestLine - lineLength);
            case V2_FIXED -> fixed.length - fixedLength;
            case V2_ADDRESS, V2_TLV, V2_SKIP -> remaining;
            case DONE, FAILED -> 0;
        };
    }

    State state() {
        return state;
    }

    private void step(byte b) throws ProxyHeaderException {
        switch (state) {
            case START -> {
                if (b == 'P') {
                    state = State.V1_LINE;
                } else if (b == V2_SIGNATURE[0]) {
                    state = State.V2_FIXED;
                } else {
                    throw new ProxyHeaderException("no PROXY protocol header: first byte 0x" + hex(b));
                }
                step(b);
            }
            case V1_LINE -> lineByte(b);
            case V2_FIXED -> fixedByte(b);
            case V2_ADDRESS -> addressByte(b);
            case V2_TLV -> tlvByte(b);
            default -> throw new IllegalStateException(state.name());
        }
    }

    // ---- version 1 (§2.1) ----

    private void lineByte(byte b) throws ProxyHeaderException {
        line[lineLength++] = b;
        if (lineLength <= V1_PREFIX.length && b != V1_PREFIX[lineLength - 1]) {
            throw new ProxyHeaderException("not a PROXY v1 line: it does not start with 'PROXY '");
        }
        if (lineLength == 10) {
            shortestLine = starts("PROXY TCP4") ? 32 : starts("PROXY TCP6") ? 22 : SHORTEST;
        }
        boolean afterCr = lineLength >= 2 && line[lineLength - 2] == '\r';
        if (b == '\n') {
            if (!afterCr) {
                throw new ProxyHeaderException("PROXY v1 line ends with LF without CR");
            }
            header = V1Line.parse(line, lineLength - 2);
            state = State.DONE;
        } else if (afterCr) {
            throw new ProxyHeaderException("PROXY v1 line has a CR without LF");
        } else if (lineLength == V1_MAX) {
            throw new ProxyHeaderException("PROXY v1 line has no CRLF in its first " + V1_MAX + " bytes");
        }
    }

    private boolean starts(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (line[i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    // ---- version 2 (§2.2) ----

    private void fixedByte(byte b) throws ProxyHeaderException {
        fixed[fixedLength++] = b;
        crc.update(b);
        int at = fixedLength - 1;
        if (at < V2_SIGNATURE.length) {
            if (b != V2_SIGNATURE[at]) {
                throw new ProxyHeaderException("bad PROXY v2 signature at byte " + at);
            }
        } else if (at == 12) {
            // High nibble: the version, "must always be sent as \x2"; low nibble: LOCAL (0) or PROXY (1).
            if ((b & 0xf0) != 0x20 || (b & 0x0f) > 1) {
                throw new ProxyHeaderException("bad PROXY v2 version/command byte 0x" + hex(b));
            }
        } else if (at == 13) {
            if ((b & 0xf0) > 0x30 || (b & 0x0f) > 2) {
                throw new ProxyHeaderException("bad PROXY v2 family/protocol byte 0x" + hex(b));
            }
        } else if (at == 15) {
            fixedDone();
        }
    }

    private void fixedDone() throws ProxyHeaderException {
        remaining = (fixed[14] & 0xff) << 8 | fixed[15] & 0xff;
        boolean local = (fixed[12] & 0x0f) == 0;
        int famProto = fixed[13] & 0xff;
        family = famProto >> 4;
        header = new ProxyHeader(2, null, null);
        if (local || family == 0) {
            // LOCAL: "use the real connection endpoints and discard the protocol block including the family";
            // AF_UNSPEC: "the receiver should ignore address information".
            state = remaining == 0 ? State.DONE : State.V2_SKIP;
            return;
        }
        if ((famProto & 0x0f) == 0) {
            throw new ProxyHeaderException("PROXY v2 family " + family + " without a transport protocol");
        }
        addressLength = switch (family) {
            case 1 -> 12;
            case 2 -> 36;
            default -> 216; // AF_UNIX: two 108-byte paths
        };
        if (remaining < addressLength) {
            throw new ProxyHeaderException("PROXY v2 length " + remaining + " is shorter than the "
                    + addressLength + "-byte address block of family " + family);
        }
        state = State.V2_ADDRESS;
    }

    private void addressByte(byte b) throws ProxyHeaderException {
        crc.update(b);
        if (addressRead < address.length) {
            address[addressRead] = b;
        }
        addressRead++;
        remaining--;
        if (addressRead == addressLength) {
            boolean stream = (fixed[13] & 0x0f) == 1;
            if (stream && family <= 2) {
                int n = family == 1 ? 4 : 16;
                header = new ProxyHeader(2, socket(0, n, 2 * n), socket(n, n, 2 * n + 2));
            } // a datagram or AF_UNIX client: nothing this TCP server can use, the real endpoints stand
            state = State.V2_TLV;
            endOfBlock();
        }
    }

    /** §2.2: TLVs fill what the length counts past the address block: type, two length bytes, value. */
    private void tlvByte(byte b) throws ProxyHeaderException {
        remaining--;
        if (tlvValueLeft > 0) {
            if (inCrcValue) {
                crcSent = crcSent << 8 | b & 0xff;
                crc.update(0); // §2.2.3: the checksum is computed with its own field zeroed
            } else {
                crc.update(b);
            }
            tlvValueLeft--;
        } else {
            crc.update(b);
            tlvHead[tlvHeadRead++] = b;
            if (tlvHeadRead == tlvHead.length) {
                tlvHeadRead = 0;
                tlvValueLeft = (tlvHead[1] & 0xff) << 8 | tlvHead[2] & 0xff;
                if (tlvValueLeft > remaining) {
                    throw new ProxyHeaderException("PROXY v2 TLV of " + tlvValueLeft
                            + " bytes runs past the header's end");
                }
                inCrcValue = (tlvHead[0] & 0xff) == TLV_CRC32C;
                if (inCrcValue) {
                    if (tlvValueLeft != 4 || crcSeen) {
                        throw new ProxyHeaderException("PROXY v2 CRC32C TLV is not one 4-byte value");
                    }
                    crcSeen = true;
                }
            } else if (remaining == 0) {
                throw new ProxyHeaderException("PROXY v2 TLV cut short by the header's end");
            }
        }
        endOfBlock();
    }

    private void endOfBlock() throws ProxyHeaderException {
        if (remaining > 0) {
            return;
        }
        if (crcSeen && crcSent != crc.getValue()) {
            throw new ProxyHeaderException("PROXY v2 CRC32C mismatch");
        }
        state = State.DONE;
    }

    private InetSocketAddress socket(int at, int length, int portAt) {
        byte[] ip = Arrays.copyOfRange(address, at, at + length);
        int port = (address[portAt] & 0xff) << 8 | address[portAt + 1] & 0xff;
        return new InetSocketAddress(IpLiteral.address(ip), port);
    }

    private static String hex(byte b) {
        return String.format("%02x", b & 0xff);
    }
}
