package org.liso.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code liso who} on what a plain listener table does not show: IPV6_V6ONLY, address filters that match exactly
 * what a connection would reach, both ends of a connection, the accept queue, Unix sockets, and processes that
 * rewrite their argv. Real sockets held by python3 children; ss and lsof on the same host as references.
 */
class WhoSidesIT {

    /** Port A: a dual-stack [::]. Port B: a v6only [::] and an IPv4 0.0.0.0 beside it. */
    private static final String FAMILIES = Child.PY
            + "def v6(only, port=0):\n"
            + "    s = socket.socket(socket.AF_INET6); s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, only)\n"
            + "    s.bind(('::', port)); s.listen(); return s\n"
            + "dual = v6(0); only = v6(1); b = only.getsockname()[1]\n"
            + "v4 = socket.socket(); v4.bind(('0.0.0.0', b)); v4.listen()\n"
            + Child.pyReady("dual.getsockname()[1], b");

    @Test
    void v6onlyIsShownAsSsShowsItAndFiltersMatchWhatAConnectionReaches() throws Exception {
        try (Child py = Child.python(FAMILIES)) {
            String[] ports = py.line().split(" ");
            String a = ports[0];
            String b = ports[1];
            Child.Result ss = Child.run(List.of("ss", "-Hltn", "sport = :" + a + " or sport = :" + b));
            assertThat(ss.out()).contains("*:" + a).contains("[::]:" + b).contains("0.0.0.0:" + b);

            Child.Result all = Child.liso("who", a);
            assertThat(all.out()).contains(" *:" + a + " ").doesNotContain("[::]:" + a);
            Child.Result pair = Child.liso("who", b);
            assertThat(pair.out()).contains(" [::]:" + b + " ").contains(" 0.0.0.0:" + b + " ");

            // A connection to ::1 reaches [::] (v6only or not), never 0.0.0.0; one to 127.0.0.1 reaches 0.0.0.0 and
            // a dual-stack [::], never a v6only one.
            assertThat(Child.liso("who", "[::1]:" + b).out()).contains("[::]:" + b).doesNotContain("0.0.0.0:" + b);
            assertThat(Child.liso("who", "127.0.0.1:" + b).out()).contains("0.0.0.0:" + b).doesNotContain("[::]:" + b);
            assertThat(Child.liso("who", "127.0.0.1:" + a).out()).contains("*:" + a);
            assertThat(Child.liso("who", "[::1]:" + a).out()).contains("*:" + a);

            Child.Result json = Child.liso("who", b, "--json");
            Child.Result parsed = Child.run(List.of("python3", "-c", "import json, sys\n"
                    + "print(sorted((s['local'], s['v6only']) for s in json.load(sys.stdin)['sockets']))"), json.out());
            assertThat(parsed.out().trim()).isEqualTo("[('0.0.0.0:" + b + "', None), ('[::]:" + b + "', True)]");
        }
    }

    /** A listener, one accepted connection, and one still in the accept queue. */
    private static final String CONNECTED = Child.PY
            + "l = socket.socket(); l.bind(('127.0.0.1', 0)); l.listen()\n"
            + "c = socket.create_connection(l.getsockname()); a, _ = l.accept()\n"
            + "q = socket.create_connection(l.getsockname())\n"
            + Child.pyReady("l.getsockname()[1], c.getsockname()[1], q.getsockname()[1]");

    @Test
    void allShowsBothEndsAndTheAcceptQueueLikeLsof() throws Exception {
        try (Child py = Child.python(CONNECTED)) {
            String[] p = py.line().split(" ");
            String port = p[0];
            Child.Result who = Child.liso("who", port, "--all");
            assertThat(who.exit()).as(who.all()).isZero();
            String pid = Long.toString(py.pid());
            assertThat(who.out())
                    .containsPattern("127\\.0\\.0\\.1:" + port + " +\\*:\\* +LISTEN +listen +" + pid + " ")
                    .containsPattern("127\\.0\\.0\\.1:" + port + " +127\\.0\\.0\\.1:" + p[1] + " +ESTAB +server +" + pid)
                    .containsPattern("127\\.0\\.0\\.1:" + p[1] + " +127\\.0\\.0\\.1:" + port + " +ESTAB +client +" + pid)
                    .containsPattern("127\\.0\\.0\\.1:" + p[2] + " +127\\.0\\.0\\.1:" + port + " +ESTAB +client +" + pid)
                    .containsPattern("127\\.0\\.0\\.1:" + port + " +127\\.0\\.0\\.1:" + p[2]
                            + " +ESTAB +server +- +- +- +\\(accept queue of pid " + pid + ": not accepted yet\\)")
                    .doesNotContain("(kernel)");
            // lsof -i :PORT lists the same client ends (its NAME column: local->remote).
            Child.Result lsof = Child.run(List.of("lsof", "-nP", "-a", "-p", pid, "-i", "TCP:" + port));
            assertThat(lsof.out()).contains("127.0.0.1:" + p[1] + "->127.0.0.1:" + port)
                    .contains("127.0.0.1:" + p[2] + "->127.0.0.1:" + port);
            Child.Result json = Child.liso("who", port, "--all", "--json");
            Child.Result parsed = Child.run(List.of("python3", "-c", "import json, sys\n"
                    + "for s in json.load(sys.stdin)['sockets']:\n"
                    + "    print(s['side'], s['state'], s['remote_port'], [p['fd'] for p in s['processes']])"),
                    json.out());
            assertThat(parsed.out()).contains("listen LISTEN None [3]").contains("client ESTAB " + port + " [4]")
                    .contains("server ESTAB " + p[2] + " []");
        }
    }

    @Test
    void namesComeFromCommAndUidZeroIsRoot() throws Exception {
        assertThat(System.getProperty("user.name")).as("needs root to look on as nobody").isEqualTo("root");
        // exec -a rewrites argv[0] the way nginx rewrites its whole argv; /proc/PID/comm keeps the real name.
        String script = Child.PY + "s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen()\n"
                + Child.pyReady("s.getsockname()[1]");
        try (Child py = Child.start(List.of("bash", "-c", "exec -a 'nginx: master process' /usr/bin/python3 -c \"$0\"",
                script))) {
            String port = py.line();
            Child.Result who = Child.liso("who", port);
            assertThat(who.out()).containsPattern("LISTEN +listen +" + py.pid()
                    + " +root +python3 +nginx: master process -c");
            List<String> asNobody = new ArrayList<>(List.of("setpriv", "--reuid=nobody", "--regid=nogroup",
                    "--clear-groups", "--inh-caps=-all"));
            asNobody.addAll(Child.lisoCommand("who", port));
            Child.Result other = Child.run(asNobody);
            assertThat(other.out()).containsPattern("LISTEN +listen +- +root +- +\\?");
        }
    }

    @Test
    void unixSocketsAreFoundByPath() throws Exception {
        Path dir = Files.createTempDirectory("liso-who");
        Path sock = dir.resolve("app.sock");
        String script = Child.PY + "u = socket.socket(socket.AF_UNIX); u.bind(sys.argv[1]); u.listen()\n"
                + "c = socket.socket(socket.AF_UNIX); c.connect(sys.argv[1]); a, _ = u.accept()\n"
                + Child.pyReady("os.getpid()");
        try (Child py = Child.start(List.of("python3", "-c", script, sock.toString()))) {
            py.line();
            Child.Result ss = Child.run(List.of("ss", "-xlpH", "src", sock.toString()));
            assertThat(ss.out()).contains(sock.toString()).contains("pid=" + py.pid());
            Child.Result who = Child.liso("who", sock.toString());
            assertThat(who.exit()).as(who.all()).isZero();
            assertThat(who.out()).containsPattern("unix/stream +" + sock + " +listening +\\d+ +" + py.pid()
                    + " +\\S+ +python3 ").containsPattern("unix/stream +" + sock + " +connected +\\d+ +" + py.pid());
            Child.Result json = Child.liso("who", "unix:" + sock, "--json");
            assertThat(json.out()).contains("\"protocol\":\"unix\"").contains("\"path\":\"" + sock + "\"")
                    .contains("\"pid\":" + py.pid());
        } finally {
            Files.deleteIfExists(sock);
            Files.delete(dir);
        }
        Child.Result gone = Child.liso("who", sock.toString());
        assertThat(gone.exit()).isEqualTo(1);
        assertThat(gone.err()).contains("no Unix socket is bound to " + sock);
    }
}
