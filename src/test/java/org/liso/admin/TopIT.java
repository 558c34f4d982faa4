package org.liso.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.testing.LisoProcess;

/**
 * {@code liso top} against a real server under load, in a real terminal (tmux, driven with send-keys and read with
 * capture-pane): the screen shows a non-zero request rate and the client's connection, it is redrawn in place (no
 * line scrolls into the history), and 'q' quits. {@code --once --json} prints one document python3 parses.
 */
class TopIT {
    private static final Pattern RATE = Pattern.compile("requests +([0-9.]+)/s");
    private static final Pattern CLOCK = Pattern.compile("  (\\d\\d:\\d\\d:\\d\\d)  serving");

    @TempDir
    Path root;

    @Test
    void liveScreenRedrawsInPlaceAndQuitsOnQ() throws Exception {
        Files.writeString(root.resolve("index.html"), "hi\n");
        String socket = "liso-topit-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        AtomicBoolean loading = new AtomicBoolean(true);
        try (LisoProcess liso = LisoProcess.start(2, "serve", "--loops", "1", "--root", root.toString(), "--http",
                "127.0.0.1:0",
                "--admin", "127.0.0.1:0", "-q")) {
            InetSocketAddress http = AdminIT.address(liso, 0);
            Thread load = new Thread(() -> keepAliveLoad(http, loading), "top-it-load");
            load.setDaemon(true);
            load.start();
            String top = LisoProcess.java() + " -jar " + LisoProcess.jar().toAbsolutePath() + " top " + liso.url(1)
                    + " --interval 300ms";
            tmux(socket, "new-session", "-d", "-x", "100", "-y", "24", top);
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                String screen = "";
                List<String> clocks = new ArrayList<>();
                double rate = 0;
                while (System.nanoTime() < deadline && (rate <= 0 || clocks.size() < 3)) {
                    screen = tmux(socket, "capture-pane", "-p");
                    Matcher r = RATE.matcher(screen);
                    Matcher c = CLOCK.matcher(screen);
                    if (r.find()) {
                        rate = Double.parseDouble(r.group(1));
                    }
                    if (c.find() && !clocks.contains(c.group(1))) {
                        clocks.add(c.group(1)); // a new frame (the clock moved on)
                    }
                    Thread.sleep(100); // a poll interval, inside the deadline
                }
                System.out.println("TopIT: screen\n" + screen);
                assertThat(rate).as("request rate on the screen:\n" + screen).isPositive();
                assertThat(clocks).as("frames seen").hasSizeGreaterThanOrEqualTo(3);
                assertThat(screen).contains("liso top - " + liso.url(1) + "metrics", "2xx", "conns", "1 open",
                        "loop lag  http  p50", "process   fds");
                assertThat(screen.split("liso top - ", -1)).as("one header: redrawn in place").hasSize(2);
                assertThat(tmux(socket, "display-message", "-p", "#{history_size}").strip())
                        .as("lines scrolled off the screen").isEqualTo("0");

                tmux(socket, "send-keys", "q");
                long quitDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                boolean gone = false;
                while (!gone && System.nanoTime() < quitDeadline) {
                    gone = run(List.of("tmux", "-L", socket, "has-session")).exit != 0;
                    Thread.sleep(50); // a poll interval, inside the deadline
                }
                assertThat(gone).as("top quit on 'q' (its tmux session ended)").isTrue();
            } finally {
                loading.set(false);
                run(List.of("tmux", "-L", socket, "kill-server"));
            }
        }
    }

    /** The field paths of a JSON document, as docs/json.md writes them ({@code a[].b}: b of each element of a). */
    private static final String PATHS = "import json, sys\n"
            + "out = set()\n"
            + "def walk(v, p):\n"
            + "    if isinstance(v, dict):\n"
            + "        for k, x in v.items():\n"
            + "            q = p + ('.' if p else '') + k; out.add(q); walk(x, q)\n"
            + "    elif isinstance(v, list):\n"
            + "        for x in v:\n"
            + "            if isinstance(x, dict): walk(x, p + '[]')\n"
            + "walk(json.load(sys.stdin), '')\n"
            + "print('\\n'.join(sorted(out)))\n";

    @Test
    void onceJsonIsOneDocumentWithTheDocumentedFields() throws Exception {
        Files.writeString(root.resolve("index.html"), "hi\n");
        Path cgi = root.resolve("app.cgi");
        Files.writeString(cgi, "#!/bin/sh\nprintf 'Content-Type: text/plain\\r\\n\\r\\nok\\n'\n");
        Files.setPosixFilePermissions(cgi, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        try (LisoProcess liso = LisoProcess.start(2, "serve", "--loops", "1", "--root", root.toString(), "--http",
                "127.0.0.1:0",
                "--cgi", cgi.toString(), "--admin", "127.0.0.1:0", "-q")) {
            for (int i = 0; i < 3; i++) {
                assertThat(MultiLoopMetricsIT.get(AdminIT.address(liso, 0), "/")).startsWith("HTTP/1.1 200");
            }
            Result json = run(List.of(LisoProcess.java(), "-jar", LisoProcess.jar().toString(), "top", liso.url(1),
                    "--once", "--json", "--interval", "200ms"));
            assertThat(json.exit).as(json.out).isZero();
            Process py = new ProcessBuilder("python3", "-c", "import json,sys; d=json.load(sys.stdin); "
                    + "print(d['requests_total'], d['connections_open'], d['loops'][0]['loop'], d['draining'])")
                    .redirectErrorStream(true).start();
            try (OutputStream o = py.getOutputStream()) {
                o.write(json.out.getBytes(StandardCharsets.UTF_8));
            }
            String parsed = new String(py.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertThat(py.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(parsed).as("python3 read: " + json.out).isEqualTo("3 0 http False");
            assertThat(python(PATHS, json.out)).as("the fields of docs/json.md's liso top section")
                    .isEqualTo(documentedFields("## `liso top URL --once --json`"));
        }
    }

    @Test
    void anUnreachableServerIsExit69() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Result r = run(List.of(LisoProcess.java(), "-jar", LisoProcess.jar().toString(), "top",
                "http://127.0.0.1:" + port + "/", "--once"));
        assertThat(r.exit).isEqualTo(69);
        assertThat(r.out).startsWith("liso top: cannot read http://127.0.0.1:" + port + "/metrics");
    }

    private static String python(String program, String stdin) throws Exception {
        Process py = new ProcessBuilder("python3", "-c", program).redirectErrorStream(true).start();
        try (OutputStream o = py.getOutputStream()) {
            o.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(py.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(py.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out.strip();
    }

    /** The field names in the table under {@code heading} of docs/json.md, sorted, one a line. */
    private static String documentedFields(String heading) throws IOException {
        String doc = Files.readString(Path.of("docs/json.md"));
        int at = doc.indexOf(heading + "\n");
        assertThat(at).as(heading + " in docs/json.md").isNotNegative();
        int end = doc.indexOf("\n## ", at + heading.length());
        java.util.TreeSet<String> fields = new java.util.TreeSet<>();
        Matcher m = Pattern.compile("^\\| `([^`]+)` \\|", Pattern.MULTILINE)
                .matcher(end < 0 ? doc.substring(at) : doc.substring(at, end));
        while (m.find()) {
            fields.add(m.group(1));
        }
        return String.join("\n", fields);
    }

    private static void keepAliveLoad(InetSocketAddress to, AtomicBoolean on) {
        byte[] req = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        try (Socket s = new Socket()) {
            s.connect(to, 5000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            while (on.get()) {
                out.write(req);
                int got = 0;
                // One response: a short head and "hi\n"; read until the body's last byte.
                while (got == 0 || buf[got - 1] != '\n' || !new String(buf, 0, got, StandardCharsets.US_ASCII)
                        .endsWith("\r\n\r\nhi\n")) {
                    int n = in.read(buf, got, buf.length - got);
                    if (n < 0) {
                        return;
                    }
                    got += n;
                }
                Thread.sleep(5); // paces the load; the test waits for what top shows, not for this
            }
        } catch (IOException | InterruptedException e) {
            // the server went away with the test
        }
    }

    private static String tmux(String socket, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-L", socket));
        cmd.addAll(List.of(args));
        Result r = run(cmd);
        assertThat(r.exit).as("tmux " + String.join(" ", args) + ": " + r.out).isZero();
        return r.out;
    }

    private record Result(int exit, String out) {
    }

    private static Result run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("did not finish: " + cmd);
        }
        return new Result(p.exitValue(), out);
    }
}
