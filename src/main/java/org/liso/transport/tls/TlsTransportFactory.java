package org.liso.transport.tls;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.liso.Log;
import org.liso.transport.Transport;
import org.liso.transport.TransportFactory;

/**
 * Wraps accepted connections in {@link TlsTransport}s. The context can be swapped while serving ({@link #reload}):
 * connections accepted afterwards use the new key and certificate, open ones keep theirs. A reload starts the
 * ticket keys afresh ({@link TicketRing}): a client's next connection is a full handshake.
 *
 * <p>{@link #wrap} runs on a loop thread; {@link #reload} may be called from any thread (a SIGHUP handler).
 */
public final class TlsTransportFactory implements TransportFactory {
    private static final String LOG = "tls";

    private final TlsSettings settings;
    private final TlsEngine engine;
    /** The serving contexts (the one that issues tickets, the one before it); replaced as a whole on reload. */
    private volatile TicketRing ring;

    /**
     * @throws TlsConfigException when the settings name a protocol or suite this JDK lacks, the key is unusable, or
     *         {@link TlsProvider#NATIVE} was asked for and the native engine cannot serve
     */
    public TlsTransportFactory(KeyMaterial material, TlsSettings settings) throws TlsConfigException {
        this.settings = settings;
        this.engine = TlsEngine.resolve(settings, why -> Log.warn(LOG, "native TLS engine unavailable, serving"
                + " with JSSE", "reason", why));
        this.ring = ring(material, Map.of());
    }

    /**
     * Starts loading the native engine (about 0.2 s of CPU: its JNI library is unpacked and linked) on a daemon
     * thread, so that it overlaps the rest of start-up; the first factory waits for it, as for any class being
     * initialised, and a failure there is the fallback's, not this thread's.
     */
    public static void preloadNativeEngine() {
        Thread t = new Thread(NativeTls::reason, "tls-native-preload");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public Transport wrap(SocketChannel channel) throws IOException {
        TicketRing r = ring;
        ServingContext a = r.current(System.nanoTime());
        SSLEngine e = TlsContexts.engine(a.context(), a.parameters(), a.kind(), settings.sessionResumption());
        return new TlsTransport(channel, e, BufferPool.forCurrentThread(a.bufferSize()),
                BufferPool.forCurrentThread(a.batchSize()), settings.sessionResumption(), r.routes() ? r : null);
    }

    /** Which engine serves, for the start-up line: {@code native BoringSSL (Conscrypt 2.9.0)} or {@code jdk JSSE (…)}. */
    public String engineDescription() {
        return engine.description();
    }

    /** True when the native engine serves (false: JSSE, asked for or fallen back to). */
    public boolean isNative() {
        return engine.isNative();
    }

    @Override
    public long handshakeTimeoutMillis() {
        return settings.handshakeTimeoutMillis();
    }

    /**
     * Serves {@code material} to new connections. If it cannot be used, logs why and keeps the current pair.
     *
     * @return true when the new pair is now in use
     */
    public boolean reload(KeyMaterial material) {
        try {
            ring = ring(material, ring.current().sites());
            Log.info(LOG, "certificate reloaded", "source", material.source(), "certificate", material.describe());
            return true;
        } catch (TlsConfigException e) {
            Log.error(LOG, "certificate reload rejected, still serving the previous one", "error", e.getMessage());
            return false;
        }
    }

    /** Loads {@code key} and {@code cert} and serves them; a bad pair is logged and the current one stays. */
    public boolean reload(Path key, Path cert, char[] password) {
        try {
            return reload(KeyMaterial.load(key, cert, password));
        } catch (TlsConfigException e) {
            Log.error(LOG, "certificate reload rejected, still serving the previous one", "error", e.getMessage());
            return false;
        }
    }

    /**
     * Serves a pair per site to new connections, chosen by the name the client sends (SNI); {@code material()} stays
     * the pair for every other client. An empty map ends the choosing. If a pair cannot be used, logs why and keeps
     * the current ones. Site certificates are served by JSSE, whose key manager chooses them.
     *
     * @param sites by lower-case host name or {@code *.parent} pattern
     * @return true when the new pairs are now in use
     */
    public boolean useSiteCertificates(Map<String, KeyMaterial> sites) {
        try {
            if (!sites.isEmpty() && engine.isNative() && ring.current().sites().isEmpty()) {
                Log.info(LOG, "site certificates are chosen by JSSE: it serves HTTPS instead of the native engine");
            }
            ring = ring(ring.current().material(), Map.copyOf(sites));
            return true;
        } catch (TlsConfigException e) {
            Log.error(LOG, "site certificates rejected, still serving the previous ones", "error", e.getMessage());
            return false;
        }
    }

    public KeyMaterial material() {
        return ring.current().material();
    }

    /** The size of the pooled record buffers (netIn, appIn) of the current pair; tests count their leases. */
    int recordBufferSize() {
        return ring.current().bufferSize();
    }

    /** The size of the pooled write-batch buffers (netOut, file chunks). */
    int batchBufferSize() {
        return ring.current().batchSize();
    }

    public TlsSettings settings() {
        return settings;
    }

    /**
     * A ring starting at a context for {@code material}; each rotation makes another for the same pair. Without
     * resumption there are no tickets, so nothing rotates.
     */
    private TicketRing ring(KeyMaterial material, Map<String, KeyMaterial> sites) throws TlsConfigException {
        ServingContext first = activate(material, sites, settings, engine);
        return new TicketRing(first, settings.sessionResumption() ? settings.ticketRotationMillis() : 0,
                () -> activate(material, sites, settings, engine));
    }

    private static ServingContext activate(KeyMaterial material, Map<String, KeyMaterial> sites, TlsSettings settings,
            TlsEngine engine) throws TlsConfigException {
        // SniKeyManager is a JSSE key manager: with site certificates, JSSE serves (Conscrypt takes its own keys).
        TlsEngine kind = sites.isEmpty() ? engine : TlsEngine.JDK;
        SSLContext ctx = TlsContexts.serverContext(material, sites, settings, kind);
        SSLParameters params = TlsContexts.parameters(ctx, settings);
        SSLEngine probe = TlsContexts.engine(ctx, params);
        int size = Math.max(probe.getSession().getPacketBufferSize(), probe.getSession().getApplicationBufferSize());
        // Room for BATCH_RECORDS full records, and for as much plaintext read from a file to fill them.
        int batch = Math.max(TlsTransport.BATCH_RECORDS * size, TlsTransport.BATCH_RECORDS * TlsTransport.MAX_PLAINTEXT);
        return new ServingContext(material, sites, kind, ctx, params, size, batch);
    }
}
