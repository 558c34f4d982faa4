package org.liso.transport.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/**
 * Conscrypt's {@code isInboundDone} and {@code isOutboundDone} each take the engine's lock and cross into BoringSSL
 * ({@code SSL_get_shutdown}): 65-70 ns a call here (bench/EngineCost.java). The transport knows when either direction
 * can have closed (it closed it, or a close_notify came in), so a keep-alive exchange on an open connection asks the
 * engine neither. Real sockets on loopback, a real JSSE client, the real native engine, counted.
 */
class TlsStateChecksTest {
    private static final int EXCHANGES = 50;

    @Test
    void anOpenConnectionAsksTheEngineNoCloseState() throws Exception {
        KeyMaterial m = SelfSigned.generate(SelfSigned.Algorithm.EC_P256);
        TlsEngine kind = TlsEngine.resolve(TlsSettings.DEFAULT, why -> {
        });
        SSLContext ctx = TlsContexts.serverContext(m, TlsSettings.DEFAULT, kind);
        CountingEngine engine = new CountingEngine(TlsContexts.engine(ctx, TlsContexts.parameters(ctx,
                TlsSettings.DEFAULT), kind, true));
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
            SSLContext clientCtx = Clients.trusting(m);
            CompletableFuture<String> client = CompletableFuture.supplyAsync(() -> talk(clientCtx, port));
            SocketChannel ch = listener.accept();
            ch.configureBlocking(false);
            TlsTransport t = new TlsTransport(ch, engine, new BufferPool(TlsTransport.MAX_PLAINTEXT + 512),
                    new BufferPool(4 * (TlsTransport.MAX_PLAINTEXT + 512)), true);
            ByteBuffer in = ByteBuffer.allocate(64);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            // The handshake and the first exchange may ask (the handshake decides how the connection is set up).
            echo(t, in, deadline);
            engine.closeChecks.set(0);
            for (int i = 1; i < EXCHANGES; i++) {
                echo(t, in, deadline);
            }
            assertThat(engine.closeChecks.get()).as("isInboundDone/isOutboundDone calls in %d exchanges",
                    EXCHANGES - 1).isZero();
            // The client's close_notify still ends the input, and what it closed is still reported as closed.
            while (t.read(in) >= 0) {
                assertThat(System.nanoTime()).isLessThan(deadline);
                in.clear();
                Thread.onSpinWait();
            }
            assertThat(t.closeNotifyReceived()).isTrue();
            t.close();
            assertThat(client.get(20, TimeUnit.SECONDS)).isEqualTo("ok");
        }
    }

    /** Reads one 4-byte request, answers it with the same 4 bytes. */
    private static void echo(TlsTransport t, ByteBuffer in, long deadline) throws Exception {
        in.clear();
        while (in.position() < 4) {
            if (t.read(in) < 0) {
                throw new java.io.EOFException("client went away");
            }
            t.flush();
            assertThat(System.nanoTime()).as("deadline").isLessThan(deadline);
        }
        in.flip();
        ByteBuffer[] out = {in};
        while (in.hasRemaining() || !t.flush()) {
            t.write(out, 0, 1);
            assertThat(System.nanoTime()).as("deadline").isLessThan(deadline);
        }
    }

    private static String talk(SSLContext ctx, int port) {
        try (SSLSocket s = Clients.connect(ctx, port, "TLSv1.3")) {
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            for (int i = 0; i < EXCHANGES; i++) {
                byte[] q = String.format("%04d", i).getBytes(StandardCharsets.US_ASCII);
                out.write(q);
                out.flush();
                if (!java.util.Arrays.equals(Clients.readExactly(in, 4), q)) {
                    return "wrong echo at " + i;
                }
            }
            s.shutdownOutput();
            return "ok";
        } catch (Exception e) {
            return e.toString();
        }
    }

    /** A real engine that counts how often its close state is asked. */
    static final class CountingEngine extends SSLEngine {
        final SSLEngine e;
        final AtomicInteger closeChecks = new AtomicInteger();

        CountingEngine(SSLEngine e) {
            this.e = e;
        }

        @Override
        public boolean isInboundDone() {
            closeChecks.incrementAndGet();
            return e.isInboundDone();
        }

        @Override
        public boolean isOutboundDone() {
            closeChecks.incrementAndGet();
            return e.isOutboundDone();
        }

        @Override
        public SSLEngineResult wrap(ByteBuffer[] srcs, int offset, int length, ByteBuffer dst) throws SSLException {
            return e.wrap(srcs, offset, length, dst);
        }

        @Override
        public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts, int offset, int length)
                throws SSLException {
            return e.unwrap(src, dsts, offset, length);
        }

        @Override
        public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer dst) throws SSLException {
            return e.unwrap(src, dst);
        }

        @Override
        public Runnable getDelegatedTask() {
            return e.getDelegatedTask();
        }

        @Override
        public void closeInbound() throws SSLException {
            e.closeInbound();
        }

        @Override
        public void closeOutbound() {
            e.closeOutbound();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return e.getSupportedCipherSuites();
        }

        @Override
        public String[] getEnabledCipherSuites() {
            return e.getEnabledCipherSuites();
        }

        @Override
        public void setEnabledCipherSuites(String[] suites) {
            e.setEnabledCipherSuites(suites);
        }

        @Override
        public String[] getSupportedProtocols() {
            return e.getSupportedProtocols();
        }

        @Override
        public String[] getEnabledProtocols() {
            return e.getEnabledProtocols();
        }

        @Override
        public void setEnabledProtocols(String[] protocols) {
            e.setEnabledProtocols(protocols);
        }

        @Override
        public SSLSession getSession() {
            return e.getSession();
        }

        @Override
        public void beginHandshake() throws SSLException {
            e.beginHandshake();
        }

        @Override
        public SSLEngineResult.HandshakeStatus getHandshakeStatus() {
            return e.getHandshakeStatus();
        }

        @Override
        public String getApplicationProtocol() {
            return e.getApplicationProtocol();
        }

        @Override
        public void setUseClientMode(boolean mode) {
            e.setUseClientMode(mode);
        }

        @Override
        public boolean getUseClientMode() {
            return e.getUseClientMode();
        }

        @Override
        public void setNeedClientAuth(boolean need) {
            e.setNeedClientAuth(need);
        }

        @Override
        public boolean getNeedClientAuth() {
            return e.getNeedClientAuth();
        }

        @Override
        public void setWantClientAuth(boolean want) {
            e.setWantClientAuth(want);
        }

        @Override
        public boolean getWantClientAuth() {
            return e.getWantClientAuth();
        }

        @Override
        public void setEnableSessionCreation(boolean flag) {
            e.setEnableSessionCreation(flag);
        }

        @Override
        public boolean getEnableSessionCreation() {
            return e.getEnableSessionCreation();
        }
    }
}
