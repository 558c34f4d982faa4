package org.liso.cgi;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.liso.testing.Await;
import org.liso.testing.LisoProcess;

/**
 * {@code liso serve --compress-cgi --h2c} on plain HTTP, HTTPS and an admin listener, with gzip_endings.py as its
 * CGI script and a body.txt beside it (base64 of random octets: text that gzip shrinks only to about 3/4, so that
 * the compressed chunks stay large), for the gzip ITs.
 */
final class GzipCgiServer implements AutoCloseable {
    static final int HTTP = 0;
    static final int HTTPS = 1;
    static final int ADMIN = 2;

    final LisoProcess liso;
    final byte[] body;
    final Path dir;

    private GzipCgiServer(LisoProcess liso, byte[] body, Path dir) {
        this.liso = liso;
        this.body = body;
        this.dir = dir;
    }

    static GzipCgiServer start(Path dir, String... extra) throws IOException, InterruptedException {
        Random random = new Random(1952);
        byte[] octets = new byte[750_000];
        random.nextBytes(octets);
        byte[] body = Base64.getMimeEncoder().encode(octets);
        Files.write(dir.resolve("body.txt"), body);
        Path script = CgiScripts.install("gzip_endings.py", dir);
        Path root = Files.createDirectories(dir.resolve("www"));
        List<String> args = new ArrayList<>(List.of("serve", "--loops", "1", "--root", root.toString(), "--http",
                "127.0.0.1:0", "--https", "127.0.0.1:0", "--h2c", "--admin", "127.0.0.1:0", "--cgi",
                script.toString(), "--compress-cgi", "-q"));
        args.addAll(List.of(extra));
        return new GzipCgiServer(LisoProcess.start(3, args.toArray(String[]::new)), body, dir);
    }

    int port(int listener) {
        return liso.port(listener);
    }

    byte[] prefix(int n) {
        return Arrays.copyOf(body, Math.min(n, body.length));
    }

    /** Polls the admin metrics until no script runs: stdout's end and the exit have been seen by the server. */
    void awaitNoScriptRunning() throws Exception {
        Await.until("liso_cgi_running 0 in the metrics", 15_000, this::metrics,
                m -> m.contains("\nliso_cgi_running 0\n"));
    }

    String metrics() throws IOException {
        try (Socket s = new Socket("127.0.0.1", port(ADMIN))) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write("GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** GZIPInputStream fails on a member without its last block or trailer (an EOFException), as python3's does. */
    static byte[] gunzip(byte[] member) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(member))) {
            return in.readAllBytes();
        }
    }

    static long deadline(int seconds) {
        return System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    }

    @Override
    public void close() throws InterruptedException {
        liso.close();
    }
}
