package org.liso.transport.tls;

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
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.testing.LisoProcess;

/**
 * {@code --tls-ticket-rotation} on a real {@code liso serve --loops 2}, with openssl s_client saving and offering
 * its session ({@code -sess_out}, {@code -sess_in}), TLS 1.3 tickets and TLS 1.2 session tickets.
 */
abstract class TicketRotationCases {
    private static final String REQUEST = "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
    private static final Pattern LOOP_SAMPLE = Pattern.compile("(liso_loop_\\w+)\\{loop=\"([^\"]+)\"} (\\d+)");
    private static final Pattern TICKET_START = Pattern.compile("TLS session ticket:\\s+0000 - ((?:[0-9a-f]{2}[ -]){4})");
    private static final long DEADLINE_MILLIS = 30_000;

    private final String provider;

    @TempDir
    Path dir;

    TicketRotationCases(TlsProvider provider) {
        this.provider = provider.flagValue();
    }

    @Test
    void aTicketIssuedOnOneLoopResumesOnTheOther() throws Exception {
        try (LisoProcess liso = serve("--accept", "handoff")) {
            InetSocketAddress admin = new InetSocketAddress("127.0.0.1", liso.port(2));
            for (String version : List.of("-tls1_3", "-tls1_2")) {
                Path session = dir.resolve("loops" + version + ".pem");
                // Both loops idle: loop 0 keeps what it accepts.
                await(() -> loopValues(admin, "liso_loop_connections_open").values().stream().allMatch(n -> n == 0));
                assertThat(sClient(liso, version, "-sess_out", session.toString())).contains("New, TLSv1.");
                long[] before = requests(admin);
                try (Socket held = new Socket("127.0.0.1", liso.port(1))) {
                    // With a connection open on loop 0, loop 0 hands the next one to loop 1.
                    await(() -> loopValues(admin, "liso_loop_connections_open").firstEntry().getValue() == 1);
                    assertThat(sClient(liso, version, "-sess_in", session.toString())).as(version)
                            .contains("Reused, TLSv1.");
                }
                long[] after = requests(admin);
                assertThat(after[1] - before[1]).as("the resumed connection's request, on loop 1").isEqualTo(1);
                assertThat(after[0]).isEqualTo(before[0]);
            }
        }
    }

    @Test
    void ticketsResumeAcrossOneRotationAndNotOnceTheirKeyIsGone() throws Exception {
        // A period of 4 s: the previous key's check below must come within one period of the rotation, after a poll
        // and two s_client runs (each an openssl process: tens of milliseconds idle, far more on a loaded machine).
        try (LisoProcess liso = serve("--tls-ticket-rotation", "4s")) {
            Path s13 = dir.resolve("s13.pem");
            Path s12 = dir.resolve("s12.pem");
            assertThat(sClient(liso, "-tls1_3", "-sess_out", s13.toString())).contains("New, TLSv1.3");
            assertThat(sClient(liso, "-tls1_2", "-sess_out", s12.toString())).contains("New, TLSv1.2");
            String first = keyName(s13);
            assertThat(keyName(s12)).as("TLS 1.2 and 1.3 tickets are sealed by one key").isEqualTo(first);

            // A new session's ticket names another key once the period is over.
            Path probe = dir.resolve("probe.pem");
            await(() -> {
                sClient(liso, "-tls1_3", "-sess_out", probe.toString());
                return !keyName(probe).equals(first);
            });
            assertThat(sClient(liso, "-tls1_3", "-sess_in", s13.toString())).as("TLS 1.3, previous key")
                    .contains("Reused, TLSv1.3");
            assertThat(sClient(liso, "-tls1_2", "-sess_in", s12.toString())).as("TLS 1.2, previous key")
                    .contains("Reused, TLSv1.2");

            // One period later the first key is gone: its tickets get full handshakes.
            await(() -> sClient(liso, "-tls1_3", "-sess_in", s13.toString()).contains("New, TLSv1.3"));
            assertThat(sClient(liso, "-tls1_2", "-sess_in", s12.toString())).contains("New, TLSv1.2");
            assertThat(liso.stderr()).contains("ticket key rotated");
        }
    }

    @Test
    void noTicketResumesWithoutResumption() throws Exception {
        try (LisoProcess liso = serve("--no-tls-resumption")) {
            for (String version : List.of("-tls1_3", "-tls1_2")) {
                Path session = dir.resolve("off" + version + ".pem");
                assertThat(sClient(liso, version, "-sess_out", session.toString())).contains("New, TLSv1.");
                if (Files.exists(session)) { // TLS 1.3 without a ticket leaves nothing to offer
                    assertThat(sClient(liso, version, "-sess_in", session.toString())).as(version)
                            .contains("New, TLSv1.").doesNotContain("Reused");
                }
            }
        }
    }

    @Test
    void aBadRotationIsAUsageError() throws Exception {
        for (List<String> bad : List.of(List.of("--tls-ticket-rotation", "0"),
                List.of("--tls-ticket-rotation", "1500ms"), List.of("--tls-ticket-rotation", "25h"),
                List.of("--tls-ticket-rotation", "soon"),
                List.of("--tls-ticket-rotation", "1h", "--no-tls-resumption"))) {
            List<String> cmd = new ArrayList<>(List.of(LisoProcess.java(), "-jar", LisoProcess.jar().toString(),
                    "serve", "--root", dir.toString(), "--http", "127.0.0.1:0", "--https", "127.0.0.1:0"));
            cmd.addAll(bad);
            List<String> r = Clients.run(cmd, null, 60);
            assertThat(r.get(0)).as("%s: %s", bad, r.get(1)).isEqualTo("2");
            assertThat(r.get(1)).as("%s", bad).contains("--tls-ticket-rotation");
        }
    }

    private LisoProcess serve(String... extra) throws Exception {
        Files.writeString(dir.resolve("index.html"), "hi\n");
        List<String> args = new ArrayList<>(List.of("serve", "--root", dir.toString(), "--http", "127.0.0.1:0",
                "--https", "127.0.0.1:0", "--admin", "127.0.0.1:0", "--loops", "2", "--tls-provider", provider));
        args.addAll(List.of(extra));
        return LisoProcess.start(3, args.toArray(new String[0]));
    }

    private String sClient(LisoProcess liso, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + liso.port(1),
                "-servername", "localhost", "-ign_eof"));
        cmd.addAll(List.of(extra));
        List<String> r = Clients.run(cmd, REQUEST, 30);
        assertThat(r.get(1)).as("the response arrived").contains("HTTP/1.1 200");
        return r.get(1);
    }

    /** The first 4 bytes of the saved session's ticket: where both engines name the key that sealed it. */
    private static String keyName(Path session) throws Exception {
        String text = Clients.run(List.of("openssl", "sess_id", "-in", session.toString(), "-noout", "-text"), null,
                30).get(1);
        Matcher m = TICKET_START.matcher(text);
        assertThat(m.find()).as("a ticket in %s", text).isTrue();
        return m.group(1);
    }

    private static long[] requests(InetSocketAddress admin) throws IOException {
        return loopValues(admin, "liso_loop_requests_total").values().stream().mapToLong(Long::longValue).toArray();
    }

    /** One metric per loop, by loop name (loop 0 first). */
    private static TreeMap<String, Long> loopValues(InetSocketAddress admin, String metric) throws IOException {
        TreeMap<String, Long> values = new TreeMap<>();
        Matcher m = LOOP_SAMPLE.matcher(get(admin, "/metrics"));
        while (m.find()) {
            if (m.group(1).equals(metric)) {
                values.put(m.group(2), Long.parseLong(m.group(3)));
            }
        }
        assertThat(values).as(metric).hasSize(2);
        return values;
    }

    private static String get(InetSocketAddress to, String path) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(to, 5000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    interface Check {
        boolean holds() throws Exception;
    }

    /** Polls {@code check} until it holds, or fails at the deadline. */
    private static void await(Check check) throws Exception {
        long end = System.nanoTime() + DEADLINE_MILLIS * 1_000_000;
        while (!check.holds()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within " + DEADLINE_MILLIS + " ms");
            }
            Thread.sleep(20); // the poll interval: a check runs a process or a scrape, so no spinning between them
        }
    }
}
