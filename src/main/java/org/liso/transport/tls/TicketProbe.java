package org.liso.transport.tls;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.X509TrustManager;

/**
 * Learns the name of the ticket key a server context encrypts with: a TLS 1.2 handshake between one of its engines
 * and a client engine of the same provider, in memory, whose NewSessionTicket the server sends before its
 * ChangeCipherSpec and so in the clear (RFC 5077 §3.3; a TLS 1.3 ticket travels encrypted). Both engines encrypt
 * their TLS 1.2 and 1.3 tickets with the same key, so the name routes either. About one full handshake of CPU.
 */
final class TicketProbe {
    private static final int CHANGE_CIPHER_SPEC = 20;
    private static final int HANDSHAKE = 22;
    private static final int NEW_SESSION_TICKET = 4;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    private static final int MAX_FLIGHTS = 16;

    private final ByteArrayOutputStream clearHandshake = new ByteArrayOutputStream();
    private boolean serverCipherOn;

    private TicketProbe() {
    }

    /**
     * The ticket {@code ctx} issues now, or null if it issued none (the handshake failed, or the engine sends no
     * TLS 1.2 tickets).
     */
    static ByteBuffer ticket(ServingContext ctx) throws GeneralSecurityException, SSLException {
        SSLEngine server = TlsContexts.engine(ctx.context(), tls12(ctx.parameters()), ctx.kind(), true);
        SSLContext clientContext = ctx.kind().provider() == null ? SSLContext.getInstance("TLS")
                : SSLContext.getInstance("TLS", ctx.kind().provider());
        clientContext.init(null, new javax.net.ssl.TrustManager[] {new OwnChain(ctx.material().chain().get(0))}, null);
        SSLEngine client = clientContext.createSSLEngine(); // no SNI: the default pair, whose leaf it checks
        client.setUseClientMode(true);
        client.setEnabledProtocols(new String[] {"TLSv1.2"});
        if (ctx.kind().isNative()) {
            NativeTls.tickets(client, true);
        }
        TicketProbe probe = new TicketProbe();
        try {
            return probe.run(client, server);
        } finally {
            for (SSLEngine e : List.of(client, server)) {
                e.closeOutbound();
                try {
                    e.closeInbound();
                } catch (SSLException ignored) {
                    // no close_notify was exchanged: nothing to tell anyone
                }
            }
        }
    }

    /** The serving parameters with TLS 1.2 only, and its suites (the defaults when the serving list has none). */
    private static SSLParameters tls12(SSLParameters serving) {
        SSLParameters p = new SSLParameters();
        String[] suites = Arrays.stream(serving.getCipherSuites()).filter(s -> s.startsWith("TLS_ECDHE"))
                .toArray(String[]::new);
        p.setCipherSuites(suites.length > 0 ? suites : TlsSettings.DEFAULT_CIPHER_SUITES.stream()
                .filter(s -> s.startsWith("TLS_ECDHE")).toArray(String[]::new));
        p.setProtocols(new String[] {"TLSv1.2"});
        return p;
    }

    private ByteBuffer run(SSLEngine client, SSLEngine server) throws SSLException {
        int size = Math.max(server.getSession().getPacketBufferSize(), client.getSession().getPacketBufferSize());
        ByteBuffer wire = ByteBuffer.allocate(4 * size);
        ByteBuffer app = ByteBuffer.allocate(Math.max(server.getSession().getApplicationBufferSize(),
                client.getSession().getApplicationBufferSize()));
        client.beginHandshake();
        server.beginHandshake();
        for (int i = 0; i < MAX_FLIGHTS; i++) {
            flight(client, server, wire, app, false);
            flight(server, client, wire, app, true);
            ByteBuffer t = newSessionTicket();
            if (t != null) {
                return t;
            }
            if (done(client) && done(server)) {
                return null;
            }
        }
        return null;
    }

    private static boolean done(SSLEngine e) {
        HandshakeStatus hs = e.getHandshakeStatus();
        return hs == HandshakeStatus.NOT_HANDSHAKING || hs == HandshakeStatus.FINISHED;
    }

    /** Everything {@code from} has to send now, unwrapped by {@code to}; the server's records are read on the way. */
    private void flight(SSLEngine from, SSLEngine to, ByteBuffer wire, ByteBuffer app, boolean fromServer)
            throws SSLException {
        wire.clear();
        while (true) {
            HandshakeStatus hs = from.getHandshakeStatus();
            if (hs == HandshakeStatus.NEED_TASK) {
                Handshake.runTasks(from);
            } else if (hs != HandshakeStatus.NEED_WRAP || from.wrap(EMPTY, wire).bytesProduced() == 0) {
                break;
            }
        }
        wire.flip();
        if (fromServer) {
            readRecords(wire.duplicate());
        }
        while (wire.hasRemaining()) {
            app.clear();
            SSLEngineResult r = to.unwrap(wire, app);
            Handshake.runTasks(to);
            if (r.getStatus() != SSLEngineResult.Status.OK || r.bytesConsumed() == 0) {
                break;
            }
        }
    }

    /** Collects the server's handshake bytes sent before its ChangeCipherSpec. */
    private void readRecords(ByteBuffer b) {
        while (!serverCipherOn && b.remaining() >= Records.HEADER) {
            int type = b.get(b.position()) & 0xff;
            int length = b.getShort(b.position() + 3) & 0xffff;
            if (b.remaining() < Records.HEADER + length) {
                return;
            }
            if (type == CHANGE_CIPHER_SPEC) {
                serverCipherOn = true;
            } else if (type == HANDSHAKE) {
                byte[] body = new byte[length];
                b.get(b.position() + Records.HEADER, body);
                clearHandshake.writeBytes(body);
            }
            b.position(b.position() + Records.HEADER + length);
        }
    }

    /** RFC 5077 §3.3: ticket_lifetime_hint (4), then the ticket with a 2-byte length. */
    private ByteBuffer newSessionTicket() {
        ByteBuffer m = ByteBuffer.wrap(clearHandshake.toByteArray());
        while (m.remaining() >= 4) {
            int type = m.get() & 0xff;
            int length = (m.get() & 0xff) << 16 | (m.getShort() & 0xffff);
            if (length > m.remaining()) {
                return null;
            }
            if (type == NEW_SESSION_TICKET && length >= 6) {
                int ticketLength = m.getShort(m.position() + 4) & 0xffff;
                return ticketLength <= length - 6 ? m.slice(m.position() + 6, ticketLength) : null;
            }
            m.position(m.position() + length);
        }
        return null;
    }

    /** The probe talks to its own server in memory: the chain it is shown must be the one that server holds. */
    private record OwnChain(X509Certificate leaf) implements X509TrustManager {
        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            if (chain.length == 0 || !Arrays.equals(chain[0].getEncoded(), leaf.getEncoded())) {
                throw new CertificateException("not the probed server's own certificate");
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("the probe is a client");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
