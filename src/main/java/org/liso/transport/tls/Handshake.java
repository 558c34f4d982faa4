package org.liso.transport.tls;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;

/**
 * One connection's TLS handshake as the socket lets it move: the first record handed to the retired context whose
 * ticket it offers ({@link TicketRing}), the unwrap steps, and what the finished handshake settled (resumed or full;
 * a session that must not be resumed dropped from the cache). When it has finished is the {@link TlsTransport}'s state
 * machine's to say; the engine and its buffers are {@link RecordIo}'s.
 *
 * <p>Delegated tasks (NEED_TASK) run inline on the loop thread. Measured (HandshakeCost in the tests; CPU time of one
 * thread, JDK 17, this 2-core machine, 2026-11-22): a full server handshake costs 1.0 ms (TLS 1.3) / 0.87 ms (1.2)
 * with EC P-256 and 1.6 / 1.4 ms with RSA 2048, of which 88–95 % is in delegated tasks (key share, CertificateVerify
 * signature, key schedule). So one task stalls the loop for about a millisecond. Handing tasks to a pool would move
 * that CPU to another core but add a hand-back through the loop's queue, a fourth connection state and a thread per
 * core to size, while a 2-core machine shared with the load generator has no idle core to give. Inline it is;
 * {@code --loops N} is the way to spread handshakes over cores.
 */
final class Handshake {
    private final RecordIo io;
    private final boolean resumption;
    /** Looks at the ClientHello for a ticket of a retired key; null once looked (or when no key is retired). */
    private TicketRing router;
    /** Wall-clock time the handshake began: a session created before it was resumed, not made by this handshake. */
    private final long startedAt = System.currentTimeMillis();
    private boolean resumed;

    /**
     * @param resumption whether the session may be resumed later (false: dropped from the cache once made)
     * @param router the ticket keys, when a retired one may still resume (see {@link TicketRing}); else null
     */
    Handshake(RecordIo io, boolean resumption, TicketRing router) {
        this.io = io;
        this.resumption = resumption;
        this.router = router;
    }

    static void runTasks(SSLEngine engine) {
        for (Runnable t = engine.getDelegatedTask(); t != null; t = engine.getDelegatedTask()) {
            t.run();
        }
    }

    /** One unwrap step; false when the peer has to send more first. */
    boolean unwrap() throws IOException {
        if (router != null && !route()) {
            return fill();
        }
        if (io.netIn() != null) {
            Status s = io.unwrapToAppIn().getStatus();
            if (s == Status.OK) {
                return true;
            }
            if (s == Status.CLOSED) {
                throw new EOFException("peer closed the connection during the TLS handshake");
            }
            if (s == Status.BUFFER_OVERFLOW) {
                return false; // plaintext already waits in appIn; the application reads it first
            }
        }
        return fill();
    }

    private boolean fill() throws IOException {
        int got = io.fillNetIn();
        if (got < 0) {
            throw new EOFException("peer closed the connection during the TLS handshake");
        }
        return got > 0;
    }

    /**
     * Once the first record is in: gives the connection to the retired context whose key issued the ticket it
     * offers, if one did. False while the record is incomplete; a record larger than {@code netIn} is not waited for.
     */
    private boolean route() throws SSLException {
        ByteBuffer netIn = io.netIn();
        boolean whole = Records.hasCompleteRecord(netIn);
        if (!whole && (netIn == null || netIn.hasRemaining())) {
            return false;
        }
        SSLEngine engine = io.engine();
        SSLEngine chosen = whole ? router.route(netIn, engine) : engine;
        router = null;
        if (chosen != engine) {
            io.use(chosen);
        }
        return true;
    }

    /** The engine reports the handshake done: was it resumed, and may its session be resumed later? */
    void finished() {
        SSLEngine engine = io.engine();
        // Neither engine has a "was this resumed" call; a resumed session (TLS 1.2 session ID, TLS 1.3 PSK) keeps the
        // creation time of the full handshake that made it. BoringSSL keeps that time in whole seconds, so under the
        // native engine a session resumed within the second it was made counts as full.
        long created = engine.getSession().getCreationTime();
        long since = engine.getClass().getName().startsWith("org.conscrypt.") ? startedAt / 1000 * 1000 : startedAt;
        resumed = created < since;
        if (!resumption) {
            // Drops the session from the server cache so no later ClientHello can resume it (TLS 1.2 session IDs).
            engine.getSession().invalidate();
        }
    }

    /** True once the handshake resumed an earlier session (RFC 8446 §2.2) instead of making a new one. */
    boolean resumed() {
        return resumed;
    }
}
