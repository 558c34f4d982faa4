package org.liso.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.testing.KernelBuffers;
import org.liso.testing.LisoProcess;
import org.liso.testing.Tool;
import org.liso.transport.tls.KeyMaterial;

/**
 * Issue 13, item 2: a reload must not lose queued connections. A real {@code liso serve --loops 2} (a SO_REUSEPORT
 * listener per loop) is stopped with SIGSTOP, so that clients which connect meanwhile wait in the kernel, spread
 * over both loops' accept queues (checked with {@code ss}); plain clients have sent their request, TLS clients wait
 * in their handshake. Then the configuration file and the certificate change, SIGHUP comes, SIGCONT lets the server
 * run, and more SIGHUPs come while it accepts: every queued client is answered, none reset, and the reload took.
 */
class ReloadKeepsQueuedConnectionsIT {
    /**
     * Plain clients queued over the two listeners: 300, or fewer where net.core.somaxconn makes the accept queues
     * (liso asks for a backlog of 1024) too short for them, as a connection beyond a full queue is not completed.
     */
    private static final int PLAIN = Math.min(300, KernelBuffers.acceptQueue(1024) * 3 / 4);
    private static final int TLS = 40;

    @TempDir
    Path dir;

    @Test
    void sighupWhileConnectionsWaitInEveryLoopsBacklogLosesNone() throws Exception {
        Path www = Files.createDirectories(dir.resolve("www"));
        Files.writeString(www.resolve("index.html"), "queued\n");
        Path live = Files.createDirectories(dir.resolve("live"));
        KeyMaterial first = KeyMaterial.selfSigned();
        first.writePem(live);
        Path config = dir.resolve("liso.toml");
        String before = "header = [\"X-Generation: 1\"]\n";
        Files.writeString(config, before);
        try (LisoProcess liso = LisoProcess.start(2, "serve", "--config", config.toString(), "--root",
                www.toString(), "--http", "127.0.0.1:0", "--https", "127.0.0.1:0", "--key",
                live.resolve("key.pem").toString(), "--cert", live.resolve("cert.pem").toString(), "--loops", "2",
                "--accept", "reuseport")) {
            int http = liso.port(0);
            int https = liso.port(1);
            assertThat(plainReply(request(http))).contains("X-Generation: 1");
            assertThat(listenerQueues(http)).as("one listener per loop on the port").hasSize(2);

            KeyMaterial second = KeyMaterial.selfSigned();
            signal("STOP", liso.pid());
            awaitStopped(liso.pid());
            List<Socket> plain = new ArrayList<>();
            List<Socket> tls = new ArrayList<>();
            ExecutorService handshakes = Executors.newFixedThreadPool(TLS);
            try {
                for (int i = 0; i < PLAIN; i++) {
                    plain.add(request(http)); // the kernel completes the connect; the request waits with it
                }
                List<Future<String>> tlsReplies = new ArrayList<>();
                for (int i = 0; i < TLS; i++) {
                    Socket s = new Socket();
                    s.connect(new InetSocketAddress("127.0.0.1", https), 5_000);
                    tls.add(s);
                    tlsReplies.add(handshakes.submit(() -> tlsExchange(s, https)));
                }
                int[] queued = awaitQueued(http, PLAIN);
                assertThat(Arrays.stream(queued).boxed().toList()).as("plain clients in each loop's accept queue")
                        .hasSize(2).allMatch(n -> n > 0);
                assertThat(Arrays.stream(awaitQueued(https, TLS)).sum()).isEqualTo(TLS);

                Path staged = Files.createDirectories(dir.resolve("staged"));
                second.writePem(staged);
                Files.copy(staged.resolve("key.pem"), live.resolve("key.pem"), StandardCopyOption.REPLACE_EXISTING);
                Files.copy(staged.resolve("cert.pem"), live.resolve("cert.pem"), StandardCopyOption.REPLACE_EXISTING);
                Files.writeString(config, before.replace("X-Generation: 1", "X-Generation: 2"));
                signal("HUP", liso.pid()); // pending until the process runs again, then handled as it accepts
                signal("CONT", liso.pid());
                signal("HUP", liso.pid());

                List<String> lost = new ArrayList<>();
                for (int i = 0; i < plain.size(); i++) {
                    if (i == PLAIN / 2) {
                        signal("HUP", liso.pid());
                    }
                    String reply = readAll(plain.get(i));
                    if (!reply.startsWith("HTTP/1.1 200 ") || !reply.endsWith("\r\n\r\nqueued\n")) {
                        lost.add("plain " + i + ": " + reply);
                    }
                }
                for (int i = 0; i < TLS; i++) {
                    String reply = tlsReplies.get(i).get(30, TimeUnit.SECONDS);
                    if (!reply.startsWith("HTTP/1.1 200 ") || !reply.endsWith("\r\n\r\nqueued\n")) {
                        lost.add("tls " + i + ": " + reply);
                    }
                }
                assertThat(lost).as("queued clients not answered (of %d plain, %d TLS)", PLAIN, TLS).isEmpty();
            } finally {
                signal("CONT", liso.pid());
                handshakes.shutdownNow();
                for (Socket s : plain) {
                    s.close();
                }
                for (Socket s : tls) {
                    s.close();
                }
            }
            awaitStderr(liso, "SIGHUP: configuration re-read");
            awaitStderr(liso, "certificate reloaded");
            assertThat(liso.stderr()).doesNotContain("ERROR");
            assertThat(plainReply(request(http))).as("the reload took").contains("X-Generation: 2");
            assertThat(tlsCertificate(https)).isEqualTo(second.leaf());
            assertThat(liso.stop()).isZero();
        }
    }

    /** A connection with a whole request sent ({@code Connection: close}, so the reply ends with EOF). */
    private static Socket request(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        s.setSoTimeout(30_000);
        s.getOutputStream().write(("GET /index.html HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        return s;
    }

    private static String plainReply(Socket s) throws IOException {
        try (s) {
            return readAll(s);
        }
    }

    /** Handshake (waits while the server is stopped), one request, the reply. */
    private static String tlsExchange(Socket connected, int port) throws Exception {
        connected.setSoTimeout(30_000);
        try (SSLSocket s = (SSLSocket) trustAll().getSocketFactory().createSocket(connected, "127.0.0.1", port,
                true)) {
            s.startHandshake();
            s.getOutputStream().write("GET /index.html HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            return readAll(s);
        }
    }

    private static X509Certificate tlsCertificate(int port) throws Exception {
        try (SSLSocket s = (SSLSocket) trustAll().getSocketFactory().createSocket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.startHandshake();
            return (X509Certificate) s.getSession().getPeerCertificates()[0];
        }
    }

    /** A context per use, so no session of the old pair is resumed; the test checks certificates itself. */
    private static SSLContext trustAll() throws Exception {
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        return c;
    }

    /** What came before EOF (or before a reset, which then shows as a cut-off reply). */
    private static String readAll(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        try {
            for (int n; (n = in.read(buf)) > 0; ) {
                got.write(buf, 0, n);
            }
        } catch (IOException reset) {
            got.write(("[" + reset + "]").getBytes(StandardCharsets.US_ASCII));
        }
        return got.toString(StandardCharsets.US_ASCII);
    }

    private static void signal(String name, long pid) throws Exception {
        Tool t = Tool.run(10, "kill", "-" + name, Long.toString(pid));
        assertThat(t.exitCode()).as("kill -%s: %s", name, t.output()).isZero();
    }

    private static void awaitStopped(long pid) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!processState(pid).equals("T")) {
            assertThat(System.nanoTime()).as("pid %d stopped", pid).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    private static String processState(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    }

    /** Polls the listeners' accept queues until they hold {@code total} connections together. */
    private static int[] awaitQueued(int port, int total) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int[] queued = listenerQueues(port);
        while (Arrays.stream(queued).sum() < total && System.nanoTime() < deadline) {
            Thread.sleep(10);
            queued = listenerQueues(port);
        }
        assertThat(Arrays.stream(queued).sum()).as("queued on :%d %s", port, Arrays.toString(queued))
                .isEqualTo(total);
        return queued;
    }

    /** Recv-Q of each listening socket on {@code port}: for a listener, the connections waiting to be accepted. */
    private static int[] listenerQueues(int port) throws Exception {
        Tool ss = Tool.run(10, "ss", "-ltnH", "sport = :" + port);
        assertThat(ss.exitCode()).as(ss.output()).isZero();
        return ss.output().lines().filter(l -> !l.isBlank())
                .mapToInt(l -> Integer.parseInt(l.trim().split("\\s+")[1])).toArray();
    }

    private static void awaitStderr(LisoProcess liso, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!liso.stderr().contains(text)) {
            assertThat(System.nanoTime()).as("'%s' in stderr: %s", text, liso.stderr()).isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
