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
 * connections accepted afterwards use the new key and certificate, open ones keep theirs.
 *
 * <p>{@link #wrap} runs on a loop thread; {@link #reload} may be called from any thread (a SIGHUP handler).
 */
public final class TlsTransportFactory implements TransportFactory {
    private static final String LOG = "tls";

    /** A context and the parameters its engines get; replaced as a whole on reload. */
    private record Active(KeyMaterial material, Map<String, KeyMaterial> sites, SSLContext context,
            SSLParameters parameters, int bufferSize) {
    }

    private final TlsSettings settings;
    private volatile Active active;

    /** @throws TlsConfigException when the settings name a protocol or suite this JDK lacks, or the key is unusable */
    public TlsTransportFactory(KeyMaterial material, TlsSettings settings) throws TlsConfigException {
        this.settings = settings;
        this.active = activate(material, Map.of(), settings);
    }

    @Override
    public Transport wrap(SocketChannel channel) throws IOException {
        Active a = active;
        SSLEngine engine = TlsContexts.engine(a.context(), a.parameters());
        return new TlsTransport(channel, engine, BufferPool.forCurrentThread(a.bufferSize()),
                settings.sessionResumption());
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
            active = activate(material, active.sites(), settings);
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
     * the current ones.
     *
     * @param sites by lower-case host name or {@code *.parent} pattern
     * @return true when the new pairs are now in use
     */
    public boolean useSiteCertificates(Map<String, KeyMaterial> sites) {
        try {
            active = activate(active.material(), Map.copyOf(sites), settings);
            return true;
        } catch (TlsConfigException e) {
            Log.error(LOG, "site certificates rejected, still serving the previous ones", "error", e.getMessage());
            return false;
        }
    }

    public KeyMaterial material() {
        return active.material();
    }

    public TlsSettings settings() {
        return settings;
    }

    private static Active activate(KeyMaterial material, Map<String, KeyMaterial> sites, TlsSettings settings)
            throws TlsConfigException {
        SSLContext ctx = TlsContexts.serverContext(material, sites, settings);
        SSLParameters params = TlsContexts.parameters(ctx, settings);
        SSLEngine probe = TlsContexts.engine(ctx, params);
        int size = Math.max(probe.getSession().getPacketBufferSize(), probe.getSession().getApplicationBufferSize());
        return new Active(material, sites, ctx, params, size);
    }
}
