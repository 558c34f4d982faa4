package org.liso.cgi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.testing.Tool;

/**
 * {@code liso serve --compress-cgi} with a real script ending in every way a script can end (gzip_endings.py): the
 * gzip member the client gets is always whole, its last deflate block, CRC-32 and ISIZE included (RFC 1952 §2.3),
 * and its framing complete (the terminating chunk, RFC 9112 §7.1; END_STREAM, RFC 9113 §8.1), over HTTP/1.1 and
 * HTTP/2, plain and TLS, read fast and read slowly. Each case runs {@code LISO_GZIP_REPS} times (default 1) to catch
 * a race; python3's gzip.decompress, which fails on a missing or short trailer, is the judge.
 */
class CgiGzipEndingsIT {
    /** How each way ends, with the body length it sends (a prefix of body.txt; -1: all of it). */
    private static final List<String> ENDINGS = List.of(
            "whole-3000", // head and body in one write, then exit
            "buffered", // exits while its 60,000 octets are still in the pipe
            "paced-40000", // 100 writes of 400 octets
            "big", // one write of ~1 MB, larger than the pipe
            "drained-16000", // 8 writes, each once the server has read the one before
            "closeearly-100000", // closes stdout, then lingers: EOF before the exit
            "stderrlast-100000", // its last write goes to stderr
            "exitfirst-200000", // exits while a child still holds stdout: the exit before EOF
            "length-50000"); // declares Content-Length, which goes when the body is gzipped
    private static final int REPS = Integer.parseInt(System.getenv().getOrDefault("LISO_GZIP_REPS", "1"));

    @TempDir
    static Path dir;
    static GzipCgiServer server;

    @BeforeAll
    static void serve() throws Exception {
        server = GzipCgiServer.start(dir, "--cgi-timeout", "10s");
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /**
     * The end of the member is made once stdout ended. Here the client's stream window is 0, so the server's queue
     * towards it fills (8 chunks, one per pipe read) just as the script's output ends: the gzip trailer then met a
     * full queue. It was held for room, and pausing the reader of a pipe already closed (a cancelled key) failed,
     * or the release after stdout's end dropped it: the body never ended, no END_STREAM.
     */
    @Test
    void theMemberEndsWhenTheQueueIsFullAsTheScriptEnds() throws Exception {
        int n = 8 * 2000;
        for (int i = 0; i < REPS; i++) {
            try (H2WindowClient c = H2WindowClient.get(server.port(GzipCgiServer.HTTP), "/cgi/?drained-" + n)) {
                assertThat(c.awaitHeaders(GzipCgiServer.deadline(10))).as("HEADERS, %s", c.failure()).isTrue();
                server.awaitNoScriptRunning();
                c.openWindow();
                assertThat(c.awaitEnd(GzipCgiServer.deadline(10)))
                        .as("END_STREAM (%s), %d octets", c.failure(), c.data().length).isTrue();
                assertThat(GzipCgiServer.gunzip(c.data())).isEqualTo(server.prefix(n));
            }
        }
    }

    @Test
    void http11Plain() throws Exception {
        everyEnding("http://127.0.0.1:" + server.port(GzipCgiServer.HTTP), "--http1.1");
    }

    @Test
    void http11Tls() throws Exception {
        everyEnding("https://127.0.0.1:" + server.port(GzipCgiServer.HTTPS), "--http1.1");
    }

    @Test
    void http2Cleartext() throws Exception {
        everyEnding("http://127.0.0.1:" + server.port(GzipCgiServer.HTTP), "--http2-prior-knowledge");
    }

    @Test
    void http2Tls() throws Exception {
        everyEnding("https://127.0.0.1:" + server.port(GzipCgiServer.HTTPS), "--http2");
    }

    /**
     * Every ending {@link #REPS} times on one connection (curl reuses it), then the big one read slowly (the
     * client's queue full while the script ends), each body judged by python3.
     */
    private void everyEnding(String base, String protocol) throws Exception {
        Path out = Files.createTempDirectory(dir, "out");
        List<String> urls = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int rep = 0; rep < REPS; rep++) {
            for (String ending : ENDINGS) {
                Path f = out.resolve(rep + "-" + ending);
                urls.addAll(List.of(base + "/cgi/?" + ending, "-o", f.toString()));
                expected.add(f + ":" + length(ending));
            }
        }
        fetch(protocol, List.of(), urls);
        List<String> slow = new ArrayList<>();
        for (int rep = 0; rep < REPS; rep++) {
            Path f = out.resolve(rep + "-slow");
            slow.addAll(List.of(base + "/cgi/?big", "-o", f.toString()));
            expected.add(f + ":-1");
        }
        fetch(protocol, List.of("--limit-rate", "2M"), slow);
        List<String> judge = new ArrayList<>(List.of("python3", "-c", String.join("\n",
                "import gzip, sys",
                "body = open(sys.argv[1], 'rb').read()",
                "bad = []",
                "for arg in sys.argv[2:]:",
                "    f, n = arg.rsplit(':', 1)",
                "    n = int(n)",
                "    try:",
                "        got = gzip.decompress(open(f, 'rb').read())",
                "    except Exception as e:",
                "        bad.append(f + ': ' + repr(e))",
                "        continue",
                "    if got != (body if n < 0 else body[:n]):",
                "        bad.append(f + ': %d octets, not the %d sent' % (len(got), len(body) if n < 0 else n))",
                "print('\\n'.join(bad) if bad else 'ok %d' % (len(sys.argv) - 2))"),
                dir.resolve("body.txt").toString()));
        judge.addAll(expected);
        Tool verdict = Tool.run(120, judge);
        assertThat(verdict.output()).isEqualTo("ok " + expected.size() + "\n");
    }

    /**
     * Fetches {@code urls} (URL, -o, FILE triples) with curl, all on one connection but with h2c: curl 7.88 fails
     * every reuse of a prior-knowledge connection (curl/curl#10634, fixed in 8.0), so there each gets its own.
     * Every transfer must end cleanly (curl exit 0: framing complete) with 200, gzip and no Content-Length.
     */
    private static void fetch(String protocol, List<String> options, List<String> urls) throws Exception {
        boolean reuse = !protocol.equals("--http2-prior-knowledge");
        for (int i = 0; i < urls.size(); i += reuse ? urls.size() : 3) {
            List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "-k", "--max-time", "120", protocol, "-H",
                    "Accept-Encoding: gzip", "-w", "%{exitcode} %{http_code} %header{content-encoding}"
                            + " %header{content-length}|%{errormsg}\\n"));
            cmd.addAll(options);
            List<String> these = reuse ? urls : urls.subList(i, i + 3);
            cmd.addAll(these);
            Tool curl = Tool.run(180, cmd);
            assertThat(curl.output().lines()).as(curl.output()).hasSize(these.size() / 3)
                    .allMatch(line -> line.equals("0 200 gzip |"));
        }
    }

    private static int length(String ending) {
        int dash = ending.indexOf('-');
        if (dash > 0) {
            return Integer.parseInt(ending.substring(dash + 1));
        }
        return ending.equals("buffered") ? 60_000 : -1;
    }
}
