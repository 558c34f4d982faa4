package org.liso.transport.tls;

import java.nio.ByteBuffer;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLEngine;
import org.liso.Log;

/**
 * Session-ticket keys on a schedule ({@code --tls-ticket-rotation}), for both engines, shared by every loop: neither
 * engine lets its keys be set (Conscrypt has no call for it; JSSE rotates on a property it reads once and caps, see
 * {@link TicketKeyName#jsseKeyMillis}), so a key here is a whole server context. Every period a new context issues
 * the tickets; the one before stays for one more period to resume the tickets it issued, and is then dropped.
 *
 * <pre>
 *   context k:  issues tickets (current) --period--> resumes its own (previous) --period--> dropped
 * </pre>
 * A ClientHello whose ticket the previous context's key names ({@link ClientHellos}, {@link TicketKeyName}) gets an
 * engine of that context ({@link #engineFor}); any other gets the current one. A resumed connection is answered with
 * new tickets of the context that resumed it, so a client that keeps coming back does one full handshake every one
 * to two periods. TLS 1.2 session IDs carry no key name: they resume only while the context that made them issues.
 *
 * <p>Rotation happens on the first connection after the period ends, on the loop thread that accepts it (a new
 * context, and a probe handshake to learn the retiring key's name); the other loops meanwhile keep using
 * the current context. {@code state} is one immutable value, read without a lock by every loop.
 */
final class TicketRing {
    private static final String LOG = "tls";

    /** How a new generation is made: the factory's current key pair and settings. */
    interface Maker {
        ServingContext make() throws TlsConfigException;
    }

    private record Retired(ServingContext context, TicketKeyName name, long untilNanos) {
    }

    private record State(ServingContext current, long sinceNanos, Retired previous) {
    }

    private final long periodNanos;
    private final Maker maker;
    private final ReentrantLock rotating = new ReentrantLock();
    private volatile State state;

    /** @param periodMillis how long a context issues tickets, and then resumes them; 0: never rotates */
    TicketRing(ServingContext first, long periodMillis, Maker maker) {
        this.periodNanos = periodMillis * 1_000_000;
        this.maker = maker;
        this.state = new State(first, System.nanoTime(), null);
    }

    /** The context that issues tickets now, rotating first when its period is over. */
    ServingContext current(long nowNanos) {
        State s = state;
        if (periodNanos > 0 && (nowNanos - s.sinceNanos >= periodNanos
                || s.previous != null && nowNanos - s.previous.untilNanos >= 0)) {
            s = rotate(nowNanos);
        }
        return s.current;
    }

    /** The current context without rotating (tests, start-up lines). */
    ServingContext current() {
        return state.current;
    }

    /** True while a retired context still resumes: only then is a ClientHello looked into. */
    boolean routes() {
        Retired p = state.previous;
        return p != null && p.name != null;
    }

    /**
     * An engine of the retired context when {@code firstRecord}'s ClientHello offers a ticket its key issued; null:
     * the engine made at accept serves.
     */
    SSLEngine engineFor(ByteBuffer firstRecord) {
        Retired p = state.previous;
        if (p == null || p.name == null) {
            return null;
        }
        ByteBuffer ticket = ClientHellos.ticket(firstRecord);
        if (ticket == null || !p.name.issued(ticket)) {
            return null;
        }
        return TlsContexts.engine(p.context.context(), p.context.parameters(), p.context.kind(), true);
    }

    /**
     * The engine for the connection whose first record is {@code firstRecord}: {@code made} (the current context's,
     * made at accept), or one of the retired context when the ClientHello offers a ticket its key issued — then
     * {@code made}, which saw no byte yet, is closed and the new one begun.
     */
    SSLEngine route(ByteBuffer firstRecord, SSLEngine made) throws javax.net.ssl.SSLException {
        SSLEngine issuer = engineFor(firstRecord);
        if (issuer == null) {
            return made;
        }
        made.closeOutbound();
        try {
            made.closeInbound(); // frees the native engine's state now
        } catch (javax.net.ssl.SSLException nothingReceived) {
            // it never saw a byte
        }
        issuer.beginHandshake();
        return issuer;
    }

    private State rotate(long now) {
        if (!rotating.tryLock()) {
            return state; // another loop is rotating: this connection gets the context that issues until then
        }
        try {
            State s = state;
            if (now - s.sinceNanos < periodNanos) {
                if (s.previous != null && now - s.previous.untilNanos >= 0) {
                    state = new State(s.current, s.sinceNanos, null);
                    Log.info(LOG, "ticket key dropped", "key", s.previous.name);
                }
                return state;
            }
            ServingContext next = maker.make();
            TicketKeyName retiring = name(s.current);
            state = new State(next, now, new Retired(s.current, retiring, now + periodNanos));
            Log.info(LOG, "ticket key rotated", "retired", retiring, "dropped", s.previous == null ? "-"
                    : s.previous.name);
            return state;
        } catch (TlsConfigException | RuntimeException e) {
            // The current context keeps issuing; the next try is a period later.
            State s = state;
            state = new State(s.current, now, s.previous);
            Log.error(LOG, "ticket key rotation failed, the current key stays", "error", e.getMessage());
            return state;
        } finally {
            rotating.unlock();
        }
    }

    /** The retiring context's key name; null (its tickets no longer resume) when it issued none. */
    private TicketKeyName name(ServingContext c) {
        try {
            ByteBuffer t = TicketProbe.ticket(c);
            if (t == null) {
                Log.warn(LOG, "ticket key probe got no ticket: the retired key's tickets will not resume");
                return null;
            }
            return c.kind().isNative() ? TicketKeyName.nativeName(t)
                    : TicketKeyName.jsseNames(t, 2 * periodNanos / 1_000_000);
        } catch (java.security.GeneralSecurityException | javax.net.ssl.SSLException e) {
            Log.warn(LOG, "ticket key probe failed: the retired key's tickets will not resume", "error",
                    e.getMessage());
            return null;
        }
    }
}
