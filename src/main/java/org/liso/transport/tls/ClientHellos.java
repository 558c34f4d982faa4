package org.liso.transport.tls;

import java.nio.ByteBuffer;

/**
 * Finds the session ticket a ClientHello offers, without the engine, so that the connection can be given to the
 * context whose key issued it ({@link TicketRing}). Reads only the first record: a ClientHello spread over several
 * records (larger than 16 KiB) is not looked into, and its connection stays with the current context.
 */
final class ClientHellos {
    private static final int HANDSHAKE = 22;
    private static final int CLIENT_HELLO = 1;
    /** RFC 5077 §3.2 (TLS 1.2). */
    private static final int SESSION_TICKET = 35;
    /** RFC 8446 §4.2.11 (TLS 1.3): the identities are the tickets of NewSessionTicket (§4.6.1). */
    private static final int PRE_SHARED_KEY = 41;

    private ClientHellos() {
    }

    /**
     * The ticket of the first PSK identity (TLS 1.3), else of the session_ticket extension (TLS 1.2); null when the
     * record holds no ClientHello with a ticket, or is malformed (the engine then says why, with an alert).
     *
     * @param netIn filled from index 0 to its position with at least one whole record
     */
    static ByteBuffer ticket(ByteBuffer netIn) {
        ByteBuffer r = netIn.duplicate().flip();
        try {
            if (r.get() != HANDSHAKE) {
                return null;
            }
            r.position(3);
            int recordEnd = Records.HEADER + u16(r);
            r.limit(Math.min(r.limit(), recordEnd));
            if (r.get() != CLIENT_HELLO) {
                return null;
            }
            int helloLength = u24(r);
            if (helloLength > r.remaining()) {
                return null; // continued in a later record
            }
            r.limit(r.position() + helloLength);
            skip(r, 2 + 32); // legacy_version, random
            skip(r, u8(r)); // legacy_session_id
            skip(r, u16(r)); // cipher_suites
            skip(r, u8(r)); // legacy_compression_methods
            if (!r.hasRemaining()) {
                return null; // no extensions
            }
            int extensions = u16(r);
            r.limit(r.position() + extensions);
            ByteBuffer tls12 = null;
            while (r.hasRemaining()) {
                int type = u16(r);
                int length = u16(r);
                ByteBuffer body = slice(r, length);
                if (type == PRE_SHARED_KEY) {
                    u16(body); // the identities' length; the first identity follows
                    return slice(body, u16(body));
                }
                if (type == SESSION_TICKET && length > 0) {
                    tls12 = body;
                }
            }
            return tls12;
        } catch (RuntimeException malformed) {
            return null; // a length past its end: IndexOutOfBounds, BufferUnderflow, IllegalArgument
        }
    }

    private static ByteBuffer slice(ByteBuffer b, int length) {
        ByteBuffer s = b.slice(b.position(), length);
        b.position(b.position() + length);
        return s;
    }

    private static void skip(ByteBuffer b, int n) {
        b.position(b.position() + n);
    }

    private static int u8(ByteBuffer b) {
        return b.get() & 0xff;
    }

    private static int u16(ByteBuffer b) {
        return b.getShort() & 0xffff;
    }

    private static int u24(ByteBuffer b) {
        return u8(b) << 16 | u16(b);
    }
}
