package org.liso.fastcgi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.testing.LisoProcess;

/**
 * With its default flags ({@code --fastcgi-idle auto}) Liso keeps its connections to php-fpm (FCGI_KEEP_CONN) and
 * still starves no request, though php-fpm binds a worker to each kept connection and has fewer workers than Liso has
 * clients: 16 clients at once, each with a series of requests, against 2 and 4 static workers, dynamic ones, workers
 * recycled every 5 requests, and an application that closes every connection after one request. Each PHP answer
 * names the socket its worker serves (its inode, from /proc/self/fd), so the test counts the connections php-fpm saw.
 */
class FastCgiKeepIT {
    private static final int CLIENTS = 16;
    private static final int REQUESTS_EACH = 12;
    /** Far below the default --fastcgi-timeout (30 s): a request left in php-fpm's backlog would take that long. */
    private static final double SLOWEST_SECONDS = 10;
    /** Starts the line curl writes after each response: its status and seconds. */
    private static final String MARK = "@@curl ";

    @TempDir
    Path dir;

    /** A status, the seconds the request took, and the body (one line). */
    private record Answer(int status, double seconds, String body) {
    }

    private Path site() throws Exception {
        Path www = Files.createDirectories(dir.resolve("www"));
        Files.writeString(www.resolve("conn.php"), String.join("\n",
                "<?php",
                "header('Content-Type: text/plain');",
                "$sockets = [];",
                "foreach (scandir('/proc/self/fd') as $fd) {",
                "    $link = @readlink('/proc/self/fd/' . $fd);",
                "    if ($fd !== '0' && $link !== false && str_starts_with($link, 'socket:')) {",
                "        $sockets[] = $link;",
                "    }",
                "}",
                "echo implode(',', $sockets), \"\\n\";",
                ""));
        Files.writeString(www.resolve("slow.php"), String.join("\n",
                "<?php",
                "touch(__DIR__ . '/slow-started');",
                "usleep((int) $_GET['ms'] * 1000);",
                "echo \"slept\\n\";",
                ""));
        return www;
    }

    private static LisoProcess serve(Path www, String address) throws Exception {
        return LisoProcess.start(1, "serve", "--loops", "2", "--http", "127.0.0.1:0", "--no-https", "--root",
                www.toString(), "--fastcgi", "*.php=" + address, "--fastcgi", "/app=" + address);
    }

    /** {@link #CLIENTS} curl processes at once, each asking for {@code path} {@link #REQUESTS_EACH} times in a row. */
    private static List<Answer> load(LisoProcess liso, String path) throws Exception {
        String url = "http://127.0.0.1:" + liso.port(0) + path;
        List<Process> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "60", "-w",
                    "\\n" + MARK + "%{http_code} %{time_total}\\n"));
            for (int i = 0; i < REQUESTS_EACH; i++) {
                cmd.add(url + "?c=" + c + "&i=" + i);
            }
            clients.add(new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start());
        }
        List<Answer> answers = new ArrayList<>();
        for (Process p : clients) {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
            StringBuilder body = new StringBuilder();
            for (String line : out.lines().toList()) {
                if (line.startsWith(MARK)) {
                    String[] codeAndTime = line.substring(MARK.length()).split(" ");
                    answers.add(new Answer(Integer.parseInt(codeAndTime[0]), Double.parseDouble(codeAndTime[1]),
                            body.toString().strip()));
                    body.setLength(0);
                } else {
                    body.append(line).append('\n');
                }
            }
        }
        return answers;
    }

    private static void assertAllAnsweredPromptly(List<Answer> answers) {
        assertThat(answers).hasSize(CLIENTS * REQUESTS_EACH);
        assertThat(answers).allSatisfy(a -> assertThat(a.status()).as("status of %s", a).isEqualTo(200));
        double slowest = answers.stream().mapToDouble(Answer::seconds).max().orElse(0);
        assertThat(slowest).as("the slowest request's seconds").isLessThan(SLOWEST_SECONDS);
    }

    private void keptWithin(int workers, boolean dynamic) throws Exception {
        Path www = site();
        try (PhpFpm fpm = PhpFpm.start(dir, workers, dynamic); LisoProcess liso = serve(www, fpm.address())) {
            List<Answer> answers = load(liso, "/conn.php");
            assertAllAnsweredPromptly(answers);
            Set<String> connections = new HashSet<>();
            answers.forEach(a -> connections.add(a.body()));
            assertThat(connections).as("php-fpm's connections").allSatisfy(c -> assertThat(c).startsWith("socket:"));
            // One connection per request would be 192; kept ones are reused, a few replaced while the limit is learned.
            assertThat(connections.size()).as("connections for %d requests", answers.size())
                    .isLessThanOrEqualTo(answers.size() / 4);
        }
    }

    @Test
    void twoStaticWorkersSixteenClients() throws Exception {
        keptWithin(2, false);
    }

    @Test
    void fourStaticWorkersSixteenClients() throws Exception {
        keptWithin(4, false);
    }

    @Test
    void dynamicWorkersSixteenClients() throws Exception {
        keptWithin(4, true);
    }

    @Test
    void workersRecycledEveryFewRequestsStillAnswerAll() throws Exception {
        Path www = site();
        // Each worker exits after 5 requests, closing the connection Liso keeps: the next request sent on it is sent
        // again on another, and the replacement worker is learned anew.
        try (PhpFpm fpm = PhpFpm.start(dir, 2, false, "pm.max_requests = 5");
                LisoProcess liso = serve(www, fpm.address())) {
            List<Answer> answers = load(liso, "/conn.php");
            assertAllAnsweredPromptly(answers);
        }
    }

    @Test
    void anApplicationThatClosesEveryConnectionStillAnswersAll() throws Exception {
        Path www = site();
        try (Responder app = Responder.start(dir, "unix:" + dir.resolve("app.sock"), true);
                LisoProcess liso = serve(www, app.address)) {
            List<Answer> answers = load(liso, "/app/env");
            assertAllAnsweredPromptly(answers);
            assertThat(app.events()).filteredOn(e -> e.startsWith("request ")).hasSize(CLIENTS * REQUESTS_EACH);
        }
    }

    @Test
    void aSlowFirstRequestDoesNotHoldTheOthersBack() throws Exception {
        Path www = site();
        try (PhpFpm fpm = PhpFpm.start(dir, 2); LisoProcess liso = serve(www, fpm.address())) {
            // The very first connection carries a slow request: nothing is learned yet, and the others must not wait
            // for it (a limit of one until it is answered would hold them for its whole duration).
            Process slow = Curl.start("http://127.0.0.1:" + liso.port(0) + "/slow.php?ms=6000");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!Files.exists(www.resolve("slow-started"))) {
                assertThat(System.nanoTime()).as("slow.php started").isLessThan(deadline);
                Thread.sleep(20);
            }
            for (int i = 0; i < 6; i++) {
                Curl.Reply r = Curl.run("http://127.0.0.1:" + liso.port(0) + "/conn.php");
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.body()).startsWith("socket:");
            }
            assertThat(slow.isAlive()).as("the fast requests were answered while the slow one still ran").isTrue();
            Curl.Reply r = Curl.await(slow);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("slept\n");
        }
    }
}
