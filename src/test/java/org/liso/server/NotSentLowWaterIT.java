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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.testing.Await;
import org.liso.testing.Jdks;
import org.liso.testing.LisoProcess;

/**
 * {@code --notsent-lowat}, seen from outside as {@code ss -tmi} shows the server's socket: a client asks for a 16 MiB
 * file and reads nothing; with the option, what waits unsent in the server's socket stays near the mark; with
 * {@code --notsent-lowat 0} the server fills its autotuned send buffer (megabytes). On a JDK 22+ ({@code LISO_JDK22},
 * else the newest under /usr/lib/jvm) the option goes through the FFM API; on a JDK 17-21 ({@code LISO_JDK17}, else
 * one under /usr/lib/jvm) through the JDK's own setsockopt, which {@code java -jar} reaches by the manifest's
 * {@code Add-Opens}; started with {@code -cp} and no {@code --add-opens}, liso skips it, says so in one line, and
 * serves as before.
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
        long with = stableNotSent(jar(Jdks.jdk22()), root, "64k").notSent;
        long without = stableNotSent(jar(Jdks.jdk22()), root, "0").notSent;
        assertThat(with).as("unsent bytes with --notsent-lowat 64k").isLessThanOrEqualTo(2L * LOWAT);
        assertThat(without).as("unsent bytes with --notsent-lowat 0").isGreaterThan(1L << 20);
    }

    @Test
    void onJava17TheJarReachesTheJdksOwnSetsockopt() throws Exception {
        Path root = Files.createDirectories(dir.resolve("www"));
        Files.write(root.resolve("big.bin"), new byte[16 << 20]);
        Settled with = stableNotSent(jar(Jdks.jdk17()), root, "64k");
        assertThat(with.notSent).as("unsent bytes with --notsent-lowat 64k on Java 17 (java -jar)")
                .isLessThanOrEqualTo(2L * LOWAT);
        // The value was read back from the listener before it counted as set.
        assertThat(with.stderr).contains("notsent_lowat").contains("listeners=1").contains("via=jdk-internal")
                .doesNotContain("TCP_NOTSENT_LOWAT not set");
    }

    @Test
    void onJava17WithoutTheOpensItIsSkippedInOneLineAndServingGoesOn() throws Exception {
        Path root = Files.createDirectories(dir.resolve("www"));
        Files.write(root.resolve("big.bin"), new byte[16 << 20]);
        List<String> classpath = List.of(Jdks.jdk17().resolve("bin/java").toString(), "-Xmx128m", "-XX:+UseSerialGC",
                "-cp", LisoProcess.jar().toString(), "org.liso.cli.Main");
        Settled without = stableNotSent(classpath, root, "64k");
        assertThat(without.notSent).as("unsent bytes when the option could not be set").isGreaterThan(1L << 20);
        assertThat(without.stderr.lines().filter(l -> l.contains("TCP_NOTSENT_LOWAT not set")).toList())
                .as(without.stderr).hasSize(1)
                .allMatch(l -> l.contains("INFO") && l.contains("sun.nio.ch is not opened"));
    }

    private record Settled(long notSent, String stderr) {
    }

    private static List<String> jar(Path jdk) {
        return List.of(jdk.resolve("bin/java").toString(), "-Xmx128m", "-XX:+UseSerialGC", "-jar",
                LisoProcess.jar().toString());
    }

    /**
     * Starts liso with {@code java} (the JVM and how it finds liso), requests the file without reading, and returns
     * the server socket's settled notsent with what liso logged (debug level).
     */
    private Settled stableNotSent(List<String> java, Path root, String lowat) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(java);
        cmd.addAll(List.of("serve", "--root", root.toString(), "--http", "127.0.0.1:0", "--no-https",
                "--loops", "1", "--notsent-lowat", lowat, "--verbose"));
        try (LisoProcess liso = LisoProcess.startCommand(1, cmd);
                SocketChannel client = SocketChannel.open()) {
            client.setOption(StandardSocketOptions.SO_RCVBUF, 64 << 10);
            client.connect(new InetSocketAddress("127.0.0.1", liso.port(0)));
            client.write(ByteBuffer.wrap("GET /big.bin HTTP/1.1\r\nHost: t\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII)));
            int clientPort = ((InetSocketAddress) client.getLocalAddress()).getPort();
            // The server stopped adding once notsent has not moved for half a second (two equal samples a few
            // milliseconds apart could be a server that was merely not scheduled in between).
            Await.until("the server's socket to hold unsent bytes", 20_000, () -> notSent(liso.port(0), clientPort),
                    n -> n > 0);
            long settled = Await.settled("the server's unsent bytes", 500, 20_000,
                    () -> notSent(liso.port(0), clientPort));
            return new Settled(settled, liso.stderr());
        }
    }

    /** The server socket's notsent as {@code ss -tmi} shows it; -1 while ss shows no memory line for it yet. */
    private static long notSent(int serverPort, int clientPort) throws IOException, InterruptedException {
        String ss = ss(serverPort, clientPort);
        if (!ss.contains("skmem")) {
            return -1;
        }
        Matcher m = NOTSENT.matcher(ss);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private static String ss(int serverPort, int clientPort) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ss", "-tmiHn", "state", "established",
                "( sport = :" + serverPort + " and dport = :" + clientPort + " )").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }
}
