package org.liso.http2;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.testing.LisoProcess;

/**
 * The known HTTP/2 attacks against the real server, each answered by design: the connection ends with GOAWAY
 * (ENHANCE_YOUR_CALM where the peer is abusive) after a bounded amount of work, and the server goes on serving other
 * clients. After every case a fresh connection must still be answered at once.
 */
class Http2AttacksIT {
    @TempDir
    static Path tmp;
    static LisoProcess server;
    static int port;

    @BeforeAll
    static void start() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("www"));
        Files.writeString(root.resolve("index.html"), "hello over h2\n");
        server = LisoProcess.start(1, "serve", "--root", root.toString(), "--http", "127.0.0.1:0", "--h2c",
                "--send-timeout", "2s");
        port = server.port(0);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    /** Another client is served normally: the attack cost the server only its own connection. */
    private static void othersAreStillServed() throws IOException {
        try (WireClient c = ConformanceServer.readyOn(port)) {
            c.get(1, "/").send();
            assertThat(c.until("DATA 1")).isEqualTo("DATA 1 14 END");
        }
    }

    /** Sends {@code chunk} repeatedly until the server closes; returns how many were written. */
    private static int floodUntilClosed(WireClient c, java.util.function.Consumer<WireClient> chunk, int max)
            throws IOException {
        int sent = 0;
        try {
            for (; sent < max; sent++) {
                chunk.accept(c);
                c.send();
            }
        } catch (IOException closed) {
            // the server closed the connection while we were still writing: that is the answer
        }
        return sent;
    }

    @Test
    void rapidResetIsCountedAndEndsTheConnection() throws Exception { // CVE-2023-44487
        try (WireClient c = ConformanceServer.readyOn(port)) {
            int[] id = {1};
            floodUntilClosed(c, w -> {
                for (int i = 0; i < 50; i++) {
                    w.get(id[0], "/").rst(id[0], ErrorCode.CANCEL);
                    id[0] += 2;
                }
            }, 200);
            String g = c.goAway();
            assertThat(g).endsWith("ENHANCE_YOUR_CALM");
            // The abuse budget (1,000 by default) ends it after about that many streams, of the 10,000 sent.
            int last = Integer.parseInt(g.replaceAll("GOAWAY 0 last=(\\d+) .*", "$1"));
            assertThat(last).as("last stream the server took").isLessThan(2 * 2_000);
        }
        othersAreStillServed();
    }

    @Test
    void aContinuationFloodIsCutOffAtTheBlockLimit() throws Exception { // CVE-2024-27316 family
        try (WireClient c = ConformanceServer.readyOn(port)) {
            byte[] start = c.block(":method=GET", ":scheme=http", ":path=/", ":authority=x");
            c.frame(FrameType.HEADERS, 0, 1, start).send();
            byte[] filler = c.block("x-filler=" + "f".repeat(8000));
            int sent = floodUntilClosed(c, w -> w.frame(FrameType.CONTINUATION, 0, 1, filler), 10_000);
            String g = c.goAway();
            assertThat(g).matches("GOAWAY 0 last=\\d+ (ENHANCE_YOUR_CALM|PROTOCOL_ERROR|COMPRESSION_ERROR)");
            assertThat(sent).as("8 KB CONTINUATION frames sent before the close").isLessThan(10_000);
        }
        othersAreStillServed();
    }

    @Test
    void emptyContinuationFramesAreCounted() throws Exception {
        try (WireClient c = ConformanceServer.readyOn(port)) {
            c.frame(FrameType.HEADERS, 0, 1, c.block(":method=GET", ":scheme=http")).send();
            floodUntilClosed(c, w -> {
                for (int i = 0; i < 100; i++) {
                    w.frame(FrameType.CONTINUATION, 0, 1, new byte[0]);
                }
            }, 1000);
            assertThat(c.goAway()).endsWith("ENHANCE_YOUR_CALM");
        }
        othersAreStillServed();
    }

    @Test
    void anHpackBombIsAnswered431WithoutDecodingItWhole() throws Exception { // RFC 7541 §7.3
        try (WireClient c = ConformanceServer.readyOn(port)) {
            // One 3 KB field goes into the dynamic table, then a block refers to it 10,000 times (1 octet each):
            // 30 MB of header list from a 10 KB block.
            byte[] first = c.block(":method=GET", ":scheme=http", ":path=/", ":authority=x",
                    "x-bomb=" + "b".repeat(3000));
            c.frame(FrameType.HEADERS, FrameType.FLAG_END_HEADERS | FrameType.FLAG_END_STREAM, 1, first).send();
            assertThat(c.until("HEADERS 1")).contains(":status=200"); // 3 KB is within the limit
            byte[] block = new byte[4 + 10_000];
            block[0] = (byte) 0x82; // :method GET
            block[1] = (byte) 0x86; // :scheme http
            block[2] = (byte) 0x84; // :path /
            block[3] = (byte) 0xbf; // :authority=x, the older dynamic entry (index 63)
            for (int i = 4; i < block.length; i++) {
                block[i] = (byte) 0xbe; // the newest dynamic entry: x-bomb
            }
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(20_000);
            FrameWriter.headers(b, 3, java.nio.ByteBuffer.wrap(block), true, 16_384);
            b.flip();
            byte[] frames = new byte[b.remaining()];
            b.get(frames);
            c.raw(frames).send();
            String answer = c.until(f -> f.startsWith("HEADERS 3") || f.startsWith("RST_STREAM 3")
                    || f.startsWith("GOAWAY"));
            assertThat(answer).matches("(HEADERS 3 :status=431.*|RST_STREAM 3 .*|GOAWAY .*(COMPRESSION_ERROR|"
                    + "ENHANCE_YOUR_CALM))");
        }
        othersAreStillServed();
    }

    @Test
    void aSettingsFloodEndsTheConnection() throws Exception {
        try (WireClient c = ConformanceServer.readyOn(port)) {
            floodUntilClosed(c, w -> {
                for (int i = 0; i < 100; i++) {
                    w.settingsFrame(Settings.MAX_CONCURRENT_STREAMS, 100);
                }
            }, 1000);
            assertThat(c.goAway()).endsWith("ENHANCE_YOUR_CALM");
        }
        othersAreStillServed();
    }

    @Test
    void aPingFloodEndsTheConnection() throws Exception {
        try (WireClient c = ConformanceServer.readyOn(port)) {
            floodUntilClosed(c, w -> {
                for (int i = 0; i < 100; i++) {
                    w.ping(i);
                }
            }, 1000);
            assertThat(c.goAway()).endsWith("ENHANCE_YOUR_CALM");
        }
        othersAreStillServed();
    }

    @Test
    void anEmptyDataFloodEndsTheConnection() throws Exception {
        try (WireClient c = ConformanceServer.readyOn(port, Settings.INITIAL_WINDOW_SIZE, 0)) {
            c.headers(1, false, ":method=POST", ":scheme=http", ":path=/x", ":authority=x").send();
            floodUntilClosed(c, w -> {
                for (int i = 0; i < 100; i++) {
                    w.data(1, new byte[0], false);
                }
            }, 1000);
            assertThat(c.goAway()).endsWith("ENHANCE_YOUR_CALM");
        }
        othersAreStillServed();
    }

    @Test
    void aPeerThatNeverOpensItsWindowIsHeldToTheSendTimeout() throws Exception {
        try (WireClient c = ConformanceServer.readyOn(port, Settings.INITIAL_WINDOW_SIZE, 0)) {
            c.get(1, "/").send();
            c.until("HEADERS 1");
            long t0 = System.nanoTime();
            c.toClose(); // nothing can be sent; --send-timeout 2s ends it
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(ms).as("closed after the send timeout").isBetween(1_000L, 4_900L);
        }
        othersAreStillServed();
    }

    @Test
    void tooManyStreamsAreRefusedNotQueued() throws Exception { // §5.1.2: bounded per connection
        try (WireClient c = ConformanceServer.readyOn(port, Settings.INITIAL_WINDOW_SIZE, 0)) {
            for (int i = 0; i < 150; i++) {
                c.get(1 + 2 * i, "/");
            }
            c.send();
            int refused = 0;
            for (int i = 0; i < 50; i++) {
                if (c.until(f -> f.startsWith("RST_STREAM")).endsWith("REFUSED_STREAM")) {
                    refused++;
                }
            }
            assertThat(refused).isEqualTo(50);
        }
        othersAreStillServed();
    }
}
