package org.liso.transport.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The ticket a ClientHello offers, found without an engine (RFC 8446 §4.1.2, §4.2.11; RFC 5077 §3.2). */
class ClientHellosTest {
    private static final byte[] TICKET_13 = bytes(0x11, 0x22, 0x33, 0x44, 0x55);
    private static final byte[] TICKET_12 = bytes(0x66, 0x77, 0x88);

    @Test
    void theFirstPskIdentityIsTheTls13Ticket() {
        ByteBuffer in = record(hello(extension(35, TICKET_12), extension(41, psk(TICKET_13, bytes(9, 9)))));
        assertThat(bytesOf(ClientHellos.ticket(in))).containsExactly(TICKET_13);
    }

    @Test
    void theSessionTicketExtensionIsTheTls12Ticket() {
        ByteBuffer in = record(hello(extension(0, bytes(0, 0)), extension(35, TICKET_12)));
        assertThat(bytesOf(ClientHellos.ticket(in))).containsExactly(TICKET_12);
    }

    @Test
    void noTicketWhenNoneIsOfferedOrTheHelloIsNotWhole() {
        assertThat(ClientHellos.ticket(record(hello(extension(35, new byte[0]))))).as("empty: asks for one").isNull();
        assertThat(ClientHellos.ticket(record(hello()))).as("no extensions").isNull();
        byte[] hello = hello(extension(41, psk(TICKET_13)));
        byte[] cut = java.util.Arrays.copyOf(hello, hello.length - 3);
        ByteBuffer r = record(cut);
        assertThat(ClientHellos.ticket(r)).as("continued in the next record").isNull();
        ByteBuffer alert = ByteBuffer.allocate(16).put(bytes(21, 3, 3, 0, 2, 2, 40));
        assertThat(ClientHellos.ticket(alert)).as("not a handshake record").isNull();
    }

    @Test
    void lengthsPastTheirEndAreNoTicketNotAnException() {
        byte[] h = hello(extension(41, psk(TICKET_13)));
        for (int i = 4; i < h.length; i++) {
            byte[] bad = h.clone();
            bad[i] = (byte) 0xff;
            ClientHellos.ticket(record(bad)); // must not throw; what it finds is the engine's to refuse
        }
        assertThat(ClientHellos.ticket(record(h))).isNotNull();
    }

    /** A ClientHello handshake message: version, random, session id, suites, compression, extensions. */
    private static byte[] hello(byte[]... extensions) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(bytes(3, 3));
        body.writeBytes(new byte[32]);
        body.writeBytes(bytes(32));
        body.writeBytes(new byte[32]);
        body.writeBytes(bytes(0, 2, 0x13, 0x01));
        body.writeBytes(bytes(1, 0));
        if (extensions.length > 0) {
            ByteArrayOutputStream ext = new ByteArrayOutputStream();
            for (byte[] e : extensions) {
                ext.writeBytes(e);
            }
            body.writeBytes(u16(ext.size()));
            body.writeBytes(ext.toByteArray());
        }
        ByteArrayOutputStream m = new ByteArrayOutputStream();
        m.write(1);
        m.write(0);
        m.writeBytes(u16(body.size()));
        m.writeBytes(body.toByteArray());
        return m.toByteArray();
    }

    private static byte[] extension(int type, byte[] data) {
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        e.writeBytes(u16(type));
        e.writeBytes(u16(data.length));
        e.writeBytes(data);
        return e.toByteArray();
    }

    /** OfferedPsks: identities (each a ticket and its obfuscated age), then binders. */
    private static byte[] psk(byte[]... tickets) {
        ByteArrayOutputStream ids = new ByteArrayOutputStream();
        for (byte[] t : tickets) {
            ids.writeBytes(u16(t.length));
            ids.writeBytes(t);
            ids.writeBytes(bytes(0, 0, 0, 7));
        }
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.writeBytes(u16(ids.size()));
        p.writeBytes(ids.toByteArray());
        p.writeBytes(bytes(0, 33, 32));
        p.writeBytes(new byte[32]);
        return p.toByteArray();
    }

    /** The record around {@code hello}, in a buffer filled up to its position as the transport's netIn is. */
    private static ByteBuffer record(byte[] hello) {
        ByteBuffer b = ByteBuffer.allocate(hello.length + 64);
        b.put(bytes(22, 3, 1)).put(u16(hello.length)).put(hello);
        return b;
    }

    private static byte[] bytesOf(ByteBuffer b) {
        assertThat(b).isNotNull();
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    private static byte[] u16(int n) {
        return bytes(n >> 8, n);
    }

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }
}
