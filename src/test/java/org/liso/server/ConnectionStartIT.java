package org.liso.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.liso.testing.RawClient;
import org.liso.testing.RawConnection;

/**
 * The connection start stage over real sockets: the first bytes decide the protocol, however they are cut. A request
 * beginning with "P" (POST, PUT) shares its first letter with the HTTP/2 preface, so the stage must wait for the byte
 * that tells them apart and then hand every byte it read to HTTP/1.1.
 *
 * <p>Each case is written in two pieces, cut at every index of its first 24 bytes; whether the kernel delivers them
 * apart is up to it, but the answer must be right either way.
 */
class ConnectionStartIT {
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(ServerConfig.DEFAULT.withTimeouts(2000, 5000, 2000, 5000), new EchoHandler());
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static RawClient.Reply sendInTwo(String request, int cut) throws Exception {
        try (RawConnection c = RawConnection.open(server.port())) {
            byte[] b = request.getBytes(StandardCharsets.ISO_8859_1);
            c.send(java.util.Arrays.copyOfRange(b, 0, cut));
            c.send(java.util.Arrays.copyOfRange(b, cut, b.length));
            return c.read();
        }
    }

    @Test
    void aPostCutAnywhereInItsFirstBytesIsServedAsHttp11() throws Exception {
        String post = "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello";
        for (int cut = 1; cut <= 24; cut++) {
            RawClient.Reply r = sendInTwo(post, cut);
            assertThat(r.status()).as("cut at %d", cut).isEqualTo(200);
            assertThat(r.bodyText()).as("cut at %d", cut).isEqualTo("hello");
        }
    }

    @Test
    void aGetIsServedWhateverItsFirstSegment() throws Exception {
        for (int cut = 1; cut <= 16; cut++) {
            RawClient.Reply r = sendInTwo("GET / HTTP/1.1\r\nHost: x\r\n\r\n", cut);
            assertThat(r.bodyText()).as("cut at %d", cut).isEqualTo("hello");
        }
    }

    @Test
    void theHttp2PrefaceIsRecognisedWhereverItIsCutAndAnswered505UntilHttp2IsServed() throws Exception {
        String preface = new String(org.liso.http2.ServerSession.PREFACE, StandardCharsets.ISO_8859_1);
        for (int cut = 1; cut < preface.length(); cut++) {
            try (RawConnection c = RawConnection.open(server.port())) {
                c.send(preface.substring(0, cut).getBytes(StandardCharsets.ISO_8859_1));
                c.send(preface.substring(cut).getBytes(StandardCharsets.ISO_8859_1));
                assertThat(c.read().status()).as("cut at %d", cut).isEqualTo(505);
                c.awaitClose();
            }
        }
    }

    @Test
    void aConnectionThatSpeaksNoByteHoldsNoSlotOnceClosed() throws Exception {
        try (RawConnection c = RawConnection.open(server.port())) {
            c.socket().shutdownOutput();
            c.awaitClose(); // closed on its EOF, not held until the header timeout
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (server.onLoop(server.server::openConnections) > 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(server.onLoop(server.server::openConnections)).isZero();
    }
}
