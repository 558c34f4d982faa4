package org.liso.transport.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The TLS transport under the test echo service, with Java's own TLS client: every case with the native engine and with JSSE. */
class TlsTransportIT {
    @Nested
    class NativeEngine extends TlsTransportCases {
        NativeEngine() {
            super(TlsProvider.NATIVE);
        }

        /**
         * BoringSSL answers a close_notify by closing both directions (the TLS 1.2 rule, RFC 5246 §7.2.1, which
         * nginx and lighttpd follow over OpenSSL too): what the server had not yet sent is dropped, and the client
         * sees a clean end, not a reset.
         */
        @Test
        void closeNotifyClosesBothDirections() throws Exception {
            int[] before = quietCounts();
            try (SSLSocket s = Clients.connect(client, server.port(), null)) {
                s.getOutputStream().write("late".getBytes(StandardCharsets.US_ASCII));
                s.shutdownOutput();
                assertThat(s.getInputStream().readAllBytes().length).isLessThanOrEqualTo(4);
            }
            // The echo of what came too late fails on the server (its output is closed); the close_notify counts.
            long closedBy = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            while (server.closeNotifies.get() == before[1] && System.nanoTime() < closedBy) {
                Thread.sleep(10);
            }
            assertThat(server.closeNotifies.get()).isEqualTo(before[1] + 1);
        }
    }

    @Nested
    class JdkEngine extends TlsTransportCases {
        JdkEngine() {
            super(TlsProvider.JDK);
        }

        /**
         * TLS 1.3 half-close (RFC 8446 §6.1), which JSSE keeps: our close_notify ends the server's input, it echoes
         * what it had, then sends its own close_notify.
         */
        @Test
        void tls13HalfCloseStillDeliversTheAnswer() throws Exception {
            int[] before = quietCounts();
            try (SSLSocket s = Clients.connect(client, server.port(), null)) {
                s.getOutputStream().write("bye".getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                s.shutdownOutput();
                assertThat(s.getInputStream().readAllBytes()).isEqualTo("bye".getBytes(StandardCharsets.US_ASCII));
            }
            assertClosedCleanly(before);
        }
    }
}
