import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ReferenceCountedOpenSslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCounted;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.function.Supplier;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.conscrypt.Conscrypt;

/**
 * Server CPU per TLS 1.3 operation for three SSLEngines over the same RSA key, engines talking through memory (no
 * sockets, no HTTP), the client always JSSE: JSSE itself, Conscrypt 2.9.0 (BoringSSL, Liso's native engine), and
 * netty's ReferenceCountedOpenSslEngine over netty-tcnative's dynamic build, i.e. the system's libssl.so.3 (OpenSSL
 * 3.0 here, the library nginx and lighttpd use). Cells: a full handshake (the client never resumes, the server
 * issues no tickets), a resumed one (TLS 1.3 PSK from the previous connection's ticket), and a keep-alive request
 * (server unwrap of a 78-byte request + wrap of a 1184-byte response, direct buffers as Liso's BufferPool gives).
 * Only the server engine's calls are timed, in thread CPU time, so other tenants of a shared machine inflate the
 * figures little.
 * <p>Run: {@code java -cp <conscrypt, netty-handler and its jars, netty-tcnative linux-x86_64> bench/EngineCost.java
 * SECONDS key.pem cert.pem [engine...]} with {@code taskset -c N}; bench/engine-cost.sh resolves the class path.
 */
public class EngineCost {
    static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    static final String SUITE = System.getProperty("suite", "TLS_AES_128_GCM_SHA256");

    interface Server {
        SSLEngine engine(boolean tickets);

        default void release(SSLEngine e) {
            if (e instanceof ReferenceCounted r) {
                r.release();
            }
        }
    }

    static long cpu() {
        return THREADS.getCurrentThreadCpuTime();
    }

    public static void main(String[] args) throws Exception {
        double seconds = Double.parseDouble(args[0]);
        X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(Files.newInputStream(Path.of(args[2])));
        String pem = Files.readString(Path.of(args[1])).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PrivateKey key = KeyFactory.getInstance(cert.getPublicKey().getAlgorithm())
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("k", key, new char[0], new Certificate[] {cert});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
        kmf.init(ks, new char[0]);
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        ts.setCertificateEntry("c", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(ts);
        System.out.println(System.getProperty("java.vm.name") + " " + System.getProperty("java.version") + ", "
                + cert.getPublicKey().getAlgorithm() + " key, client JSSE offering " + SUITE);
        String[] engines = args.length > 3 ? java.util.Arrays.copyOfRange(args, 3, args.length)
                : new String[] {"jdk", "conscrypt", "openssl"};
        for (String name : engines) {
            Server s = switch (name) {
                case "jdk" -> jdk(kmf);
                case "conscrypt" -> conscrypt(kmf);
                case "openssl" -> openssl(key, cert);
                default -> throw new IllegalArgumentException(name);
            };
            Supplier<SSLContext> clients = () -> {
                try {
                    SSLContext c = SSLContext.getInstance("TLS");
                    c.init(null, tmf.getTrustManagers(), null);
                    return c;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };
            run(name, s, clients, seconds);
        }
    }

    static Server jdk(KeyManagerFactory kmf) throws Exception {
        SSLContext full = SSLContext.getInstance("TLS");
        full.init(kmf.getKeyManagers(), null, null);
        full.getServerSessionContext().setSessionTimeout(7 * 24 * 3600 + 1); // JSSE: no TLS 1.3 tickets
        SSLContext resuming = SSLContext.getInstance("TLS");
        resuming.init(kmf.getKeyManagers(), null, null);
        return tickets -> params((tickets ? resuming : full).createSSLEngine());
    }

    static Server conscrypt(KeyManagerFactory kmf) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS", Conscrypt.newProvider());
        ctx.init(kmf.getKeyManagers(), null, null);
        return tickets -> {
            SSLEngine e = params(ctx.createSSLEngine());
            Conscrypt.setUseSessionTickets(e, tickets);
            return e;
        };
    }

    static Server openssl(PrivateKey key, X509Certificate cert) throws Exception {
        io.netty.handler.ssl.OpenSsl.ensureAvailability();
        System.out.println("netty OpenSSL engine over " + io.netty.handler.ssl.OpenSsl.versionString());
        ReferenceCountedOpenSslContext full = (ReferenceCountedOpenSslContext) SslContextBuilder.forServer(key, cert)
                .sslProvider(SslProvider.OPENSSL_REFCNT).protocols("TLSv1.3").build();
        full.sessionContext().setSessionCacheSize(1);
        ((io.netty.handler.ssl.OpenSslSessionContext) full.sessionContext()).setSessionCacheEnabled(false);
        ReferenceCountedOpenSslContext resuming = (ReferenceCountedOpenSslContext) SslContextBuilder
                .forServer(key, cert).sslProvider(SslProvider.OPENSSL_REFCNT).protocols("TLSv1.3").build();
        return tickets -> {
            SSLEngine e = params((tickets ? resuming : full).newEngine(ByteBufAllocator.DEFAULT));
            if (!tickets) {
                io.netty.internal.tcnative.SSL.setOptions(
                        ((io.netty.handler.ssl.ReferenceCountedOpenSslEngine) e).sslPointer(),
                        io.netty.internal.tcnative.SSL.SSL_OP_NO_TICKET);
            }
            return e;
        };
    }

    static SSLEngine params(SSLEngine e) {
        e.setUseClientMode(false);
        SSLParameters p = e.getSSLParameters();
        p.setProtocols(new String[] {"TLSv1.3"});
        p.setUseCipherSuitesOrder(true);
        e.setSSLParameters(p);
        return e;
    }

    static void run(String name, Server server, Supplier<SSLContext> clients, double seconds) throws Exception {
        Pair.serverNanos = 0;
        for (boolean resumed : new boolean[] {false, true}) {
            SSLContext client = clients.get();
            for (int round = 0; round < 2; round++) { // round 0 warms the JIT up
                Pair.serverNanos = 0;
                long n = 0;
                long sent = 0;
                long deadline = System.nanoTime() + (long) ((round == 0 ? 2 : 1) * seconds * 1e9);
                while (System.nanoTime() < deadline) {
                    Pair p = new Pair(server.engine(resumed), (resumed ? client : clients.get())
                            .createSSLEngine("localhost", 443));
                    p.handshake();
                    sent += p.serverSent;
                    p.close();
                    server.release(p.server);
                    n++;
                }
                if (round == 1) {
                    System.out.printf("%-9s %-8s handshake + first 1 KiB response: %.3f ms server CPU (%d handshakes, %d bytes"
                            + " from the server each)%n", name, resumed ? "resumed" : "full", Pair.serverNanos / 1e6 / n, n,
                            sent / n);
                }
            }
        }
        Pair p = new Pair(server.engine(false), clients.get().createSSLEngine("localhost", 443));
        p.handshake();
        String suite = p.server.getSession().getCipherSuite();
        for (int round = 0; round < 2; round++) {
            Pair.serverNanos = 0;
            long n = 0;
            long deadline = System.nanoTime() + (long) ((round == 0 ? 2 : 1) * seconds * 1e9);
            while (System.nanoTime() < deadline) {
                n += p.requests(64);
            }
            if (round == 1) {
                System.out.printf("%-9s keep-alive 1 KiB (%s): %.2f us server CPU per request (unwrap 78 B + wrap"
                        + " 1184 B; %d requests)%n", name, suite, Pair.serverNanos / 1e3 / n, n);
            }
        }
        // What the transport's per-call state checks cost (each of Conscrypt's is a lock and a JNI call).
        for (int round = 0; round < 2; round++) {
            long t = cpu();
            int done = 0;
            for (int i = 0; i < 1_000_000; i++) {
                done += p.server.isInboundDone() ? 1 : 0;
                done += p.server.isOutboundDone() ? 1 : 0;
            }
            if (round == 1) {
                System.out.printf("%-9s isInboundDone + isOutboundDone: %.0f ns a pair%s%n", name, (cpu() - t) / 1e6,
                        done == 0 ? "" : " (closed?)");
            }
        }
        p.close();
        server.release(p.server);
    }

    /** A server and a client engine wired through two direct buffers. */
    static final class Pair {
        static long serverNanos;
        final SSLEngine server;
        final SSLEngine client;
        final ByteBuffer c2s = ByteBuffer.allocateDirect(1 << 16);
        final ByteBuffer s2c = ByteBuffer.allocateDirect(1 << 16);
        final ByteBuffer sink = ByteBuffer.allocateDirect(1 << 16);
        final ByteBuffer empty = ByteBuffer.allocate(0);
        long serverSent;

        Pair(SSLEngine server, SSLEngine client) {
            this.server = server;
            this.client = client;
            client.setUseClientMode(true);
            client.setEnabledProtocols(new String[] {"TLSv1.3"});
            client.setEnabledCipherSuites(new String[] {SUITE});
        }

        void handshake() throws Exception {
            client.beginHandshake();
            long t = cpu();
            server.beginHandshake();
            serverNanos += cpu() - t;
            for (int i = 0; i < 100; i++) {
                step(client, s2c, c2s, false);
                int before = s2c.position();
                t = cpu();
                step(server, c2s, s2c, true);
                serverNanos += cpu() - t;
                serverSent += s2c.position() - before;
                if (done(client) && done(server) && c2s.position() == 0 && s2c.position() == 0) {
                    flush();
                    return;
                }
            }
            throw new IllegalStateException("handshake did not finish");
        }

        /**
         * The first response (1184 bytes, timed): BoringSSL sends its TLS 1.3 tickets only with the first application
         * data after the handshake (an empty wrap leaves them queued), as Liso's first response carries them.
         */
        void flush() throws Exception {
            ByteBuffer first = ByteBuffer.allocateDirect(1184);
            long t = cpu();
            server.wrap(first, s2c);
            serverNanos += cpu() - t;
            serverSent += s2c.position();
            s2c.flip();
            while (s2c.hasRemaining()) {
                sink.clear();
                if (client.unwrap(s2c, sink).bytesConsumed() == 0) {
                    break;
                }
            }
            s2c.clear();
        }

        static boolean done(SSLEngine e) {
            return e.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING
                    || e.getHandshakeStatus() == HandshakeStatus.FINISHED;
        }

        /** Moves one engine on: consume what the peer wrote into {@code in}, append what it sends to {@code out}. */
        void step(SSLEngine e, ByteBuffer in, ByteBuffer out, boolean isServer) throws Exception {
            for (int guard = 0; guard < 50; guard++) {
                HandshakeStatus hs = e.getHandshakeStatus();
                if (hs == HandshakeStatus.NEED_TASK) {
                    Runnable r;
                    while ((r = e.getDelegatedTask()) != null) {
                        r.run();
                    }
                } else if (hs == HandshakeStatus.NEED_WRAP) {
                    SSLEngineResult r = e.wrap(empty, out);
                    if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                        throw new IllegalStateException("handshake failed: " + r);
                    }
                    if (r.bytesProduced() == 0) {
                        return;
                    }
                } else if (in.position() > 0) {
                    // NEED_UNWRAP, or post-handshake messages (the server's tickets) still in flight
                    in.flip();
                    SSLEngineResult r = e.unwrap(in, sink);
                    in.compact();
                    sink.clear();
                    if (r.bytesConsumed() == 0 && r.getHandshakeStatus() != HandshakeStatus.NEED_TASK
                            && r.getHandshakeStatus() != HandshakeStatus.NEED_WRAP) {
                        return;
                    }
                } else {
                    return;
                }
            }
        }

        private final ByteBuffer request = ByteBuffer.allocateDirect(78);
        private final ByteBuffer response = ByteBuffer.allocateDirect(1184);
        private final ByteBuffer[] requests = new ByteBuffer[64];
        private final ByteBuffer[] responses = new ByteBuffer[64];

        /** {@code k} keep-alive exchanges; the server's part of them timed as one batch. */
        int requests(int k) throws Exception {
            for (int i = 0; i < k; i++) {
                if (requests[i] == null) {
                    requests[i] = ByteBuffer.allocateDirect(1 << 15);
                    responses[i] = ByteBuffer.allocateDirect(1 << 15);
                }
                request.clear();
                requests[i].clear();
                check(client.wrap(request, requests[i]));
                requests[i].flip();
            }
            long t = cpu();
            for (int i = 0; i < k; i++) {
                sink.clear();
                check(server.unwrap(requests[i], sink));
                response.clear();
                responses[i].clear();
                check(server.wrap(response, responses[i]));
            }
            serverNanos += cpu() - t;
            for (int i = 0; i < k; i++) {
                responses[i].flip();
                sink.clear();
                check(client.unwrap(responses[i], sink));
            }
            return k;
        }

        static void check(SSLEngineResult r) {
            if (r.getStatus() != SSLEngineResult.Status.OK) {
                throw new IllegalStateException(r.toString());
            }
        }

        void close() throws Exception {
            client.closeOutbound();
            c2s.clear();
            client.wrap(empty, c2s);
            c2s.flip();
            server.unwrap(c2s, sink);
            server.closeOutbound();
            s2c.clear();
            server.wrap(empty, s2c);
        }
    }
}
