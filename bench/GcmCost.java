import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.TrustManagerFactory;

/**
 * What the JDK pays per 1 KiB TLS record, without sockets or HTTP: (1) AES-128-GCM encryption of 1 KiB through
 * javax.crypto (a fresh IV per record, as TLS does), from heap arrays and from direct buffers; (2) an in-memory
 * TLS 1.3 connection between two SSLEngines (RSA key from {@code liso cert --rsa}): the server's wrap of a 1 KiB
 * response and its unwrap of a 78-byte request, i.e. the record-layer work Liso does per keep-alive request.
 * Compare (1) with {@code openssl speed -evp aes-128-gcm -bytes 1024}.
 * <p>Run: {@code java bench/GcmCost.java SECONDS [key.pem cert.pem]} (default files: bench/work/tls/cert/).
 */
public class GcmCost {
    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        Path key = Path.of(args.length > 2 ? args[1] : "bench/work/tls/cert/key.pem");
        Path cert = Path.of(args.length > 2 ? args[2] : "bench/work/tls/cert/cert.pem");
        System.out.println(System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        cipher(seconds, false);
        cipher(seconds, true);
        engines(seconds, key, cert);
    }

    static void cipher(double seconds, boolean direct) throws Exception {
        SecretKeySpec k = new SecretKeySpec(new byte[16], "AES");
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        byte[] iv = new byte[12];
        ByteBuffer in = direct ? ByteBuffer.allocateDirect(1024) : ByteBuffer.allocate(1024);
        ByteBuffer out = direct ? ByteBuffer.allocateDirect(1024 + 16) : ByteBuffer.allocate(1024 + 16);
        long ops = 0;
        long deadline = 0;
        long t0 = 0;
        for (int round = 0; round < 2; round++) { // round 0 warms the JIT up
            ops = 0;
            t0 = System.nanoTime();
            deadline = t0 + (long) (seconds * 1e9);
            while (System.nanoTime() < deadline) {
                for (int i = 0; i < 256; i++) {
                    long n = ops++;
                    for (int b = 0; b < 8; b++) {
                        iv[4 + b] = (byte) (n >>> (8 * b));
                    }
                    c.init(Cipher.ENCRYPT_MODE, k, new GCMParameterSpec(128, iv));
                    in.clear();
                    out.clear();
                    c.doFinal(in, out);
                }
            }
        }
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("javax.crypto AES/GCM encrypt 1 KiB (%s buffers): %.0f records/s, %.0f MB/s, %.2f us/record%n",
                direct ? "direct" : "heap", ops / s, ops * 1024 / s / 1e6, s * 1e6 / ops);
    }

    static void engines(double seconds, Path keyPem, Path certPem) throws Exception {
        X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(Files.newInputStream(certPem));
        String pem = Files.readString(keyPem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
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
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), new SecureRandom());
        SSLEngine server = ctx.createSSLEngine();
        server.setUseClientMode(false);
        server.setEnabledCipherSuites(new String[] {"TLS_AES_128_GCM_SHA256"});
        server.setEnabledProtocols(new String[] {"TLSv1.3"});
        SSLEngine client = ctx.createSSLEngine("localhost", 443);
        client.setUseClientMode(true);
        client.setEnabledProtocols(new String[] {"TLSv1.3"});
        int packet = server.getSession().getPacketBufferSize();
        int app = server.getSession().getApplicationBufferSize();
        ByteBuffer c2s = ByteBuffer.allocateDirect(packet);
        ByteBuffer s2c = ByteBuffer.allocateDirect(packet);
        ByteBuffer sink = ByteBuffer.allocateDirect(app);
        ByteBuffer empty = ByteBuffer.allocate(0);
        handshake(client, server, c2s, s2c, sink, empty);

        ByteBuffer request = ByteBuffer.allocateDirect(78);
        ByteBuffer response = ByteBuffer.allocateDirect(1024 + 160); // 1 KiB body + a typical response head
        long wrapNanos = 0;
        long unwrapNanos = 0;
        long n = 0;
        long t0 = 0;
        for (int round = 0; round < 2; round++) {
            wrapNanos = 0;
            unwrapNanos = 0;
            n = 0;
            t0 = System.nanoTime();
            long deadline = t0 + (long) (seconds * 1e9);
            while (System.nanoTime() < deadline) {
                request.clear();
                c2s.clear();
                check(client.wrap(request, c2s));
                c2s.flip();
                sink.clear();
                long a = System.nanoTime();
                check(server.unwrap(c2s, sink));
                long b = System.nanoTime();
                response.clear();
                s2c.clear();
                check(server.wrap(response, s2c));
                long c = System.nanoTime();
                s2c.flip();
                sink.clear();
                check(client.unwrap(s2c, sink));
                unwrapNanos += b - a;
                wrapNanos += c - b;
                n++;
            }
        }
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("SSLEngine TLS 1.3 %s, server side per request: unwrap 78 B %.2f us + wrap 1184 B %.2f us"
                + " = %.2f us (%.0f requests/s of record work on one core); both sides: %.0f pairs/s%n",
                server.getSession().getCipherSuite(), unwrapNanos / 1e3 / n, wrapNanos / 1e3 / n,
                (unwrapNanos + wrapNanos) / 1e3 / n, n / ((unwrapNanos + wrapNanos) / 1e9), n / s);
    }

    static void check(SSLEngineResult r) {
        if (r.getStatus() != SSLEngineResult.Status.OK) {
            throw new IllegalStateException(r.toString());
        }
    }

    static void handshake(SSLEngine client, SSLEngine server, ByteBuffer c2s, ByteBuffer s2c, ByteBuffer sink,
            ByteBuffer empty) throws Exception {
        client.beginHandshake();
        server.beginHandshake();
        for (int i = 0; i < 100; i++) {
            step(client, s2c, c2s, sink, empty);
            step(server, c2s, s2c, sink, empty);
            if (client.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING
                    && server.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING
                    && c2s.position() == 0 && s2c.position() == 0) {
                return;
            }
        }
        throw new IllegalStateException("handshake did not finish");
    }

    /** Moves one engine forward: consume what the peer wrote into {@code in}, append what it wants to send. */
    static void step(SSLEngine e, ByteBuffer in, ByteBuffer out, ByteBuffer sink, ByteBuffer empty) throws Exception {
        while (true) {
            switch (e.getHandshakeStatus()) {
                case NEED_TASK -> {
                    Runnable t;
                    while ((t = e.getDelegatedTask()) != null) {
                        t.run();
                    }
                }
                case NEED_WRAP -> {
                    SSLEngineResult r = e.wrap(empty, out);
                    if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                        throw new IllegalStateException("handshake failed: " + r);
                    }
                    if (r.bytesProduced() == 0) {
                        return; // the peer has to take what is queued first
                    }
                }
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    in.flip();
                    SSLEngineResult r = e.unwrap(in, sink);
                    in.compact();
                    sink.clear();
                    if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW || r.bytesConsumed() == 0
                            && r.getHandshakeStatus() != SSLEngineResult.HandshakeStatus.NEED_TASK
                            && r.getHandshakeStatus() != SSLEngineResult.HandshakeStatus.NEED_WRAP) {
                        return;
                    }
                }
                default -> {
                    // post-handshake messages (TLS 1.3 tickets) may still be in flight: drain them
                    if (in.position() > 0) {
                        in.flip();
                        SSLEngineResult r = e.unwrap(in, sink);
                        in.compact();
                        sink.clear();
                        if (r.bytesConsumed() > 0) {
                            continue;
                        }
                    }
                    return;
                }
            }
        }
    }
}
