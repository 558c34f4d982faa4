package org.liso.transport.tls;

import java.nio.ByteBuffer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLParameters;

/**
 * Measures (not a test) what one full handshake costs the server in CPU time on one thread: all engine work, and the part
 * spent in delegated tasks — the work a loop would hand off if it ran NEED_TASK elsewhere. Engines talk through
 * memory, no sockets. Run: {@code java -cp target/classes:target/test-classes:<deps> org.liso.transport.tls.HandshakeCost [N [jdk|native]]}
 * (pinned to one core with taskset for comparable numbers).
 */
final class HandshakeCost {
    private static long serverTaskNanos;
    private static long serverTotalNanos;
    private static TlsEngine engine = TlsEngine.JDK;

    /** CPU time of this thread, so that other processes on a shared machine do not inflate the figures. */
    private static long cpu() {
        return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 400;
        if (args.length > 1 && args[1].equals("idle")) {
            idleFootprint(n);
            return;
        }
        TlsProvider provider = args.length > 1 ? TlsProvider.valueOf(args[1].toUpperCase(java.util.Locale.ROOT))
                : TlsProvider.JDK;
        engine = TlsEngine.resolve(TlsSettings.DEFAULT.withProvider(provider), why -> {
            throw new IllegalStateException(why);
        });
        System.out.println("engine: " + engine.description());
        for (String alg : new String[] {"EC_P256", "RSA_2048"}) {
            KeyMaterial m = SelfSigned.generate(SelfSigned.Algorithm.valueOf(alg));
            SSLContext server = TlsContexts.serverContext(m, TlsSettings.DEFAULT.withSessionResumption(false), engine);
            SSLParameters params = TlsContexts.parameters(server, TlsSettings.DEFAULT);
            SSLContext client = Clients.trusting(m);
            for (String proto : new String[] {"TLSv1.3", "TLSv1.2"}) {
                for (int i = 0; i < n / 4; i++) {
                    handshake(server, params, client, proto); // warm-up
                }
                serverTaskNanos = 0;
                serverTotalNanos = 0;
                for (int i = 0; i < n; i++) {
                    handshake(server, params, client, proto);
                }
                System.out.printf("%-8s %-7s server per handshake: %.3f ms total, %.3f ms in delegated tasks%n",
                        alg, proto, serverTotalNanos / 1e6 / n, serverTaskNanos / 1e6 / n);
            }
        }
    }

    /**
     * Heap retained per idle server engine after its handshake: what an idle TLS connection costs beyond its socket,
     * since TlsTransport gives its buffers back to the pool when they are empty.
     */
    static void idleFootprint(int n) throws Exception {
        KeyMaterial m = KeyMaterial.selfSigned();
        SSLContext server = TlsContexts.serverContext(m, TlsSettings.DEFAULT);
        SSLParameters params = TlsContexts.parameters(server, TlsSettings.DEFAULT);
        SSLContext client = Clients.trusting(m);
        java.util.List<SSLEngine> keep = new java.util.ArrayList<>();
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long before = rt.totalMemory() - rt.freeMemory();
        for (int i = 0; i < n; i++) {
            keep.add(handshake(server, params, client, i % 2 == 0 ? "TLSv1.3" : "TLSv1.2"));
        }
        System.gc();
        long after = rt.totalMemory() - rt.freeMemory();
        System.out.printf("idle server engines: %d, retained heap %.1f KiB each (%.1f MiB for 10,000)%n", keep.size(),
                (after - before) / 1024.0 / n, (after - before) * 10_000.0 / n / (1 << 20));
    }

    private static SSLEngine handshake(SSLContext serverCtx, SSLParameters params, SSLContext clientCtx, String proto)
            throws Exception {
        SSLEngine s = TlsContexts.engine(serverCtx, params, engine, false);
        SSLEngine c = clientCtx.createSSLEngine("localhost", 443);
        c.setUseClientMode(true);
        c.setEnabledProtocols(new String[] {proto});
        int size = 1 << 17;
        ByteBuffer c2s = ByteBuffer.allocate(size);
        ByteBuffer s2c = ByteBuffer.allocate(size);
        ByteBuffer app = ByteBuffer.allocate(size);
        ByteBuffer empty = ByteBuffer.allocate(0);
        s.beginHandshake();
        c.beginHandshake();
        for (int round = 0; round < 100 && !(done(c) && done(s)); round++) {
            step(c, empty, c2s, s2c, app, false);
            step(s, empty, s2c, c2s, app, true);
        }
        return s;
    }

    private static boolean done(SSLEngine e) {
        return e.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING;
    }

    private static void step(SSLEngine e, ByteBuffer empty, ByteBuffer out, ByteBuffer in, ByteBuffer app,
            boolean server) throws Exception {
        long t0 = cpu();
        for (int i = 0; i < 20; i++) {
            HandshakeStatus hs = e.getHandshakeStatus();
            if (hs == HandshakeStatus.NEED_WRAP) {
                e.wrap(empty, out);
            } else if (hs == HandshakeStatus.NEED_UNWRAP || hs == HandshakeStatus.NEED_UNWRAP_AGAIN) {
                in.flip();
                boolean had = in.hasRemaining();
                e.unwrap(in, app);
                in.compact();
                app.clear();
                if (!had) {
                    break;
                }
            } else if (hs == HandshakeStatus.NEED_TASK) {
                long t = cpu();
                Handshake.runTasks(e);
                if (server) {
                    serverTaskNanos += cpu() - t;
                }
            } else {
                break;
            }
        }
        if (server) {
            serverTotalNanos += cpu() - t0;
        }
    }
}
