package org.liso.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.testing.LisoProcess;

/**
 * {@code --notsent-lowat} on Java 22+, seen from outside as {@code ss -tmi} shows the server's socket: a client
 * asks for a 16 MiB file and reads nothing; with the option, what waits unsent in the server's socket stays near
 * the mark; with {@code --notsent-lowat 0} the server fills its autotuned send buffer (megabytes). Runs liso on a
 * JDK 22+ ({@code LISO_JDK22}, else the newest under /usr/lib/jvm): the option is skipped on Java 17-21 by design.
 */
class NotSentLowWaterIT {
    private static final int LOWAT = 64 << 10;
    private static final Pattern NOTSENT = Pattern.compile("notsent:(\\d+)");

    @TempDir
    Path dir;

    @Test
    void theServersUnsentBytesStayNearTheMarkAndFillTheBufferWithout() throws Exception {
        Path root = Files.createDirectories(dir.resolve("www"));
        Files.write(root.resolve("big.bin"), new byte[16 << 20]);
        long with = stableNotSent(root, "64k");
        long without = stableNotSent(root, "0");
        assertThat(with).as("unsent bytes with --notsent-lowat 64k").isLessThanOrEqualTo(2L * LOWAT);
        assertThat(without).as("unsent bytes with --notsent-lowat 0").isGreaterThan(1L << 20);
    }

    /** Starts liso on a JDK 22+, requests the file without reading, and returns the server socket's settled notsent. */
    private long stableNotSent(Path root, String lowat) throws Exception {
        List<String> cmd = List.of(jdk22().resolve("bin/java").toString(), "-Xmx128m", "-XX:+UseSerialGC",
                "-jar", LisoProcess.jar().toString(), "serve", "--root", root.toString(), "--http", "127.0.0.1:0",
                "--no-https", "--notsent-lowat", lowat);
        try (LisoProcess liso = LisoProcess.startCommand(1, cmd);
                SocketChannel client = SocketChannel.open()) {
            client.setOption(StandardSocketOptions.SO_RCVBUF, 64 << 10);
            client.connect(new InetSocketAddress("127.0.0.1", liso.port(0)));
            client.write(ByteBuffer.wrap("GET /big.bin HTTP/1.1\r\nHost: t\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII)));
            int clientPort = ((InetSocketAddress) client.getLocalAddress()).getPort();
            long last = -1; // one ss run (milliseconds) is the pause between samples
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (System.nanoTime() < deadline) {
                String ss = ss(liso.port(0), clientPort);
                if (ss.contains("skmem")) {
                    Matcher m = NOTSENT.matcher(ss);
                    long notSent = m.find() ? Long.parseLong(m.group(1)) : 0;
                    if (notSent == last && notSent > 0) {
                        return notSent; // the server stopped adding: the socket is as full as it gets
                    }
                    last = notSent;
                }
            }
            throw new AssertionError("the server's socket never settled; last ss: " + ss(liso.port(0), clientPort)
                    + "\nliso stderr: " + liso.stderr());
        }
    }

    private static String ss(int serverPort, int clientPort) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ss", "-tmiHn", "state", "established",
                "( sport = :" + serverPort + " and dport = :" + clientPort + " )").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    /** A JDK whose release is 22 or newer: {@code LISO_JDK22}, else the newest under /usr/lib/jvm. */
    static Path jdk22() throws IOException {
        String env = System.getenv("LISO_JDK22");
        if (env != null && !env.isEmpty()) {
            return Path.of(env);
        }
        Optional<Path> found = Optional.empty();
        int best = 0;
        try (Stream<Path> jvms = Files.list(Path.of("/usr/lib/jvm"))) {
            for (Path j : jvms.toList()) {
                int v = feature(j);
                if (v >= 22 && v > best && Files.isExecutable(j.resolve("bin/java"))) {
                    best = v;
                    found = Optional.of(j);
                }
            }
        }
        return found.orElseThrow(() -> new AssertionError("this test needs a JDK 22+ (the option uses the FFM API):"
                + " install one under /usr/lib/jvm (scripts/install-test-tools.sh) or set LISO_JDK22"));
    }

    private static int feature(Path jdk) {
        try {
            for (String line : Files.readAllLines(jdk.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=\"")) {
                    return Integer.parseInt(line.substring(14).split("[.\"]")[0]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }
}
