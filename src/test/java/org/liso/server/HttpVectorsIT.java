package org.liso.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.testing.LisoProcess;
import org.liso.testing.RawClient;
import org.liso.testing.RawConnection;
import org.liso.testing.Vector;

/**
 * Every conformance vector against the real {@code liso serve}: the project's own corpus always, and the shared
 * corpus in ../shared/vectors whenever it is there. Each case: a fresh connection, the bytes in one write, then the
 * exact number of responses, the expected status, and the expected connection state afterwards.
 */
class HttpVectorsIT {
    @TempDir
    static Path root;
    private static LisoProcess liso;

    @BeforeAll
    static void start() throws Exception {
        Files.writeString(root.resolve("index.html"), "<!doctype html><title>index</title>\n");
        Files.createDirectories(root.resolve("dir"));
        Files.writeString(root.resolve("dir/index.html"), "dir\n");
        liso = LisoProcess.start(1, "serve", "--root", root.toString(), "--http", "127.0.0.1:0", "--no-https",
                "--header-timeout", "5", "-q");
    }

    @AfterAll
    static void stop() throws Exception {
        assertThat(liso.stop()).as("SIGTERM stops liso serve gracefully with status 0").isZero();
        liso.close();
    }

    @Test
    void projectCorpus() throws Exception {
        List<Vector> cases = Vector.load(Path.of("src/test/resources/server/conformance.tsv"));
        assertThat(cases).hasSizeGreaterThan(20);
        runAll(cases);
    }

    @Test
    void sharedCorpusWhenPresent() throws Exception {
        Path shared = Path.of(System.getProperty("liso.shared", "../shared"), "vectors", "http-requests.tsv");
        // A fresh clone has no ../shared: the case is then reported skipped, not passed (conventions.md, Tests).
        assumeTrue(Files.exists(shared), "no shared corpus at " + shared.toAbsolutePath());
        List<Vector> cases = Vector.load(shared);
        assertThat(cases).as("vectors in " + shared).isNotEmpty();
        runAll(cases);
        System.out.println("HttpVectorsIT: ran " + cases.size() + " shared vectors from " + shared.toAbsolutePath());
    }

    private static void runAll(List<Vector> cases) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (Vector v : cases) {
                results.add(pool.submit(() -> check(v)));
            }
            List<String> failures = new ArrayList<>();
            for (Future<String> f : results) {
                String r = f.get();
                if (r != null) {
                    failures.add(r);
                }
            }
            assertThat(failures).as("vectors that failed").isEmpty();
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Reads the expected number of responses by their framing, then settles the connection's state without waiting
     * for silence: for {@code close} the server must close; otherwise a probe request on the same connection must
     * get the probe's own answer (a 301 to /dir/), which also shows that no extra response was sent.
     *
     * @return null when the case passes, else what went wrong
     */
    static String check(Vector v) throws IOException {
        boolean head = new String(v.request(), 0, Math.min(5, v.request().length)).startsWith("HEAD");
        List<RawClient.Reply> replies = new ArrayList<>();
        try (RawConnection c = RawConnection.open(liso.port(0), 10_000)) {
            try {
                c.send(v.request());
            } catch (IOException serverClosedEarly) {
                // the server may answer and close before reading everything: judged by what came back
            }
            try {
                while (replies.size() < v.responses()) {
                    replies.add(head ? c.readHead() : c.read());
                }
            } catch (java.net.SocketTimeoutException t) {
                return v.id() + ": " + replies.size() + " responses within the deadline, expected " + v.responses();
            } catch (IOException closed) {
                if (replies.isEmpty()) {
                    return v.noResponseOk() ? null : v.id() + ": no response (" + closed.getMessage() + ")";
                }
                return v.id() + ": " + replies.size() + " responses, then " + closed.getMessage() + "; expected "
                        + v.responses();
            }
            int status = replies.get(0).status();
            if (!v.expect().contains(status)) {
                return v.id() + ": status " + status + ", expected " + v.expect() + " — " + v.why();
            }
            return v.after().equals("close") ? awaitClose(v, c) : probe(v, c);
        }
    }

    private static String awaitClose(Vector v, RawConnection c) {
        try {
            c.awaitClose();
            return null;
        } catch (java.net.SocketTimeoutException t) {
            return v.id() + ": connection left open, expected close";
        } catch (IOException more) {
            return v.id() + ": more than " + v.responses() + " responses, or bytes after them: " + more.getMessage();
        }
    }

    private static String probe(Vector v, RawConnection c) {
        RawClient.Reply r;
        try {
            r = c.send("GET /dir HTTP/1.1\r\nHost: probe\r\n\r\n").read();
        } catch (java.net.SocketTimeoutException t) {
            return v.id() + ": the connection stopped answering (a probe got nothing)";
        } catch (IOException closed) {
            return v.after().equals("keep") ? v.id() + ": connection closed, expected keep" : null;
        }
        String location = r.header("Location");
        if (r.status() != 301 || location == null || !location.endsWith("/dir/")) {
            return v.id() + ": more than " + v.responses() + " responses (the probe got " + r.status() + " "
                    + location + ")";
        }
        return null;
    }
}
