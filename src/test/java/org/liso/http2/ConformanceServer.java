package org.liso.http2;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.liso.testing.LisoProcess;

/**
 * What the RFC 9113 and RFC 7541 conformance ITs share: the real server ({@code liso serve --h2c} over a root with a
 * 14-octet index.html and the 200,000-octet {@link #BIG} as big.bin) and the checks of the h2spec outline they follow.
 * Each case sends raw frames ({@link WireClient}), valid or not, and checks the frames that come back: the answer,
 * a RST_STREAM with the right code for a stream error (§5.4.2), or GOAWAY with the right code and a close for a
 * connection error (§5.4.1). One IT class per part of the RFCs ({@code Http2FramingIT}, {@code Http2StreamStatesIT},
 * {@code Http2FrameDefinitionsIT}, {@code Http2ConnectionControlIT}, {@code Http2FlowControlIT},
 * {@code Http2SemanticsIT}, {@code Http2HpackIT}), each with a server of its own.
 */
final class ConformanceServer implements AutoCloseable {
    static final byte[] BIG = new byte[200_000];

    static {
        for (int i = 0; i < BIG.length; i++) {
            BIG[i] = (byte) (i * 31);
        }
    }

    private final LisoProcess process;
    private final int port;

    private ConformanceServer(LisoProcess process) {
        this.process = process;
        this.port = process.port(0);
    }

    /** Starts a server over a site made in {@code tmp}. */
    static ConformanceServer start(Path tmp) throws Exception {
        Path root = Files.createDirectories(tmp.resolve("www"));
        Files.writeString(root.resolve("index.html"), "hello over h2\n");
        Files.write(root.resolve("big.bin"), BIG);
        return new ConformanceServer(LisoProcess.start(1, "serve", "--root", root.toString(), "--http",
                "127.0.0.1:0", "--h2c", "--idle-timeout", "20s"));
    }

    int port() {
        return port;
    }

    /** A connection past the preface: both SETTINGS exchanged and acknowledged. */
    WireClient ready(long... settings) throws IOException {
        return readyOn(port, settings);
    }

    static WireClient readyOn(int port, long... settings) throws IOException {
        WireClient c = WireClient.open(port);
        c.preface(settings).send();
        assertThat(c.next()).as("the server preface is a SETTINGS frame (§3.4)").startsWith("SETTINGS 0 streams=");
        c.settingsAck().send();
        c.until("SETTINGS 0 ACK");
        return c;
    }

    static void connectionError(WireClient c, ErrorCode code) throws IOException {
        assertThat(c.goAway()).endsWith(" " + code);
        c.toClose();
    }

    static void streamError(WireClient c, int stream, ErrorCode code) throws IOException {
        assertThat(c.until(f -> f.startsWith("RST_STREAM " + stream + " ") || f.startsWith("GOAWAY")))
                .isEqualTo("RST_STREAM " + stream + " " + code);
    }

    /** The connection still works: a PING is answered. */
    static void stillAlive(WireClient c) throws IOException {
        c.ping(0x1234).send();
        c.until("PING 0 ACK 1234");
    }

    static byte[] hex(String h) {
        return java.util.HexFormat.of().parseHex(h.replace(" ", ""));
    }

    @Override
    public void close() throws Exception {
        process.close();
    }
}
