package org.liso.transport.tls;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * How the tickets of one server context name the key that encrypted them, learnt by {@link TicketProbe} from a ticket
 * the context issues when it is retired. Each engine puts the key's name first in the ticket, in the clear:
 * <ul>
 * <li>BoringSSL: a random 16-byte {@code key_name} (RFC 5077 §4's recommended layout); one key per context, which
 * BoringSSL itself replaces only after 48 hours ({@link TicketRing} never keeps a context that long);</li>
 * <li>JSSE: a 4-byte key number, random for the context's first key and one more for each later key, which JSSE
 * makes every {@code jdk.tls.server.statelessKeyTimeout} (1 hour unless set; see {@link #jsseKeyMillis}) — so a
 * context owns a short run of numbers around the one probed.</li>
 * </ul>
 */
final class TicketKeyName {
    /** BoringSSL's SSL_TICKET_KEY_NAME_LEN. */
    static final int NATIVE_LENGTH = 16;
    /** JSSE's default key lifetime: {@code SessionTicketExtension.TIMEOUT_DEFAULT}. */
    private static final long JSSE_DEFAULT_KEY_MILLIS = 3_600_000;
    /** JSSE's limit for the property, {@code NewSessionTicket.MAX_TICKET_LIFETIME}, which it compares to milliseconds. */
    private static final long JSSE_MAX_KEY_VALUE = 604_800;

    private final byte[] name;
    private final long span;

    private TicketKeyName(byte[] name, long span) {
        this.name = name;
        this.span = span;
    }

    /** The name a native context's tickets carry, from one of them; null if it is too short to hold one. */
    static TicketKeyName nativeName(ByteBuffer ticket) {
        if (ticket.remaining() < NATIVE_LENGTH) {
            return null;
        }
        byte[] n = new byte[NATIVE_LENGTH];
        ticket.duplicate().get(n);
        return new TicketKeyName(n, 0);
    }

    /**
     * The key numbers a JSSE context's tickets carry, from a ticket it issued when it stopped issuing: that key's
     * number, and the numbers of the keys JSSE made in the {@code windowMillis} before it (one per key lifetime) and
     * may make in as long after it (a retired context still answers the clients it resumes with new tickets).
     */
    static TicketKeyName jsseNames(ByteBuffer ticket, long windowMillis) {
        if (ticket.remaining() < Integer.BYTES) {
            return null;
        }
        byte[] n = new byte[Integer.BYTES];
        ticket.duplicate().get(n);
        long keyMillis = Math.max(1, jsseKeyMillis(System.getProperty("jdk.tls.server.statelessKeyTimeout")));
        return new TicketKeyName(n, Math.min(Integer.MAX_VALUE / 2, windowMillis / keyMillis + 2));
    }

    /**
     * How long JSSE uses one ticket key, as {@code SessionTicketExtension} reads its property (JDK 17 and 25 alike):
     * seconds, turned into milliseconds and then checked against a limit of 604800 meant as seconds, so any value
     * above 604 seconds is refused and the default of one hour used instead.
     */
    static long jsseKeyMillis(String property) {
        if (property == null) {
            return JSSE_DEFAULT_KEY_MILLIS;
        }
        try {
            int ms = Integer.parseInt(property) * 1000; // int, as JSSE computes it
            return ms < 0 || ms > JSSE_MAX_KEY_VALUE ? JSSE_DEFAULT_KEY_MILLIS : ms;
        } catch (NumberFormatException e) {
            return JSSE_DEFAULT_KEY_MILLIS;
        }
    }

    /** True when {@code ticket} was encrypted by a key of this context. */
    boolean issued(ByteBuffer ticket) {
        if (ticket.remaining() < name.length) {
            return false;
        }
        if (span == 0) {
            return ticket.slice(ticket.position(), name.length).equals(ByteBuffer.wrap(name));
        }
        int probed = ByteBuffer.wrap(name).getInt();
        int distance = ticket.getInt(ticket.position()) - probed; // JSSE's numbers wrap past Integer.MAX_VALUE
        return Math.abs((long) distance) <= span;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        for (byte b : Arrays.copyOf(name, Math.min(name.length, 4))) {
            s.append(String.format("%02x", b));
        }
        return s.toString();
    }
}
