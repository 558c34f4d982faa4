package org.liso.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/json.md is the contract of every {@code --json} document: each command is run against real sockets and the
 * field paths of what it prints (collected by python3's json module) must be exactly the documented ones.
 */
class DocumentedJsonIT {

    private static final Pattern ROW = Pattern.compile("^\\| `([^`]+)` \\|", Pattern.MULTILINE);

    /** Every table of docs/json.md by the heading above it. */
    private static Map<String, Set<String>> documented() throws Exception {
        String text = Files.readString(Path.of("docs/json.md"));
        Map<String, Set<String>> out = new LinkedHashMap<>();
        String heading = null;
        for (String line : text.split("\n")) {
            if (line.startsWith("#")) {
                heading = line.replaceFirst("^#+ ", "");
                continue;
            }
            Matcher m = ROW.matcher(line);
            if (heading != null && m.find()) {
                out.computeIfAbsent(heading, k -> new TreeSet<>()).add(m.group(1));
            }
        }
        return out;
    }

    /** The field paths in a JSON document, as docs/json.md writes them. */
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

    private static Set<String> paths(Child.Result r) throws Exception {
        assertThat(r.out()).as(r.all()).startsWith("{");
        Child.Result p = Child.run(List.of("python3", "-c", PATHS), r.out());
        assertThat(p.exit()).as(p.all()).isZero();
        return new TreeSet<>(List.of(p.out().trim().split("\n")));
    }

    /** A ::1 listener, an accepted connection and one still queued; a Unix listener. */
    private static final String SOCKETS = Child.PY
            + "l = socket.socket(socket.AF_INET6); l.bind(('::1', 0)); l.listen()\n"
            + "c = socket.create_connection(l.getsockname()[:2]); a, _ = l.accept()\n"
            + "q = socket.create_connection(l.getsockname()[:2])\n"
            + "u = socket.socket(socket.AF_UNIX); u.bind(sys.argv[1]); u.listen()\n"
            + Child.pyReady("l.getsockname()[1]");

    @Test
    void everyDocumentIsExactlyAsDocumented() throws Exception {
        Map<String, Set<String>> doc = documented();
        Path dir = Files.createTempDirectory("liso-json");
        Path sock = dir.resolve("s.sock");
        try (Child py = Child.start(List.of("python3", "-c", SOCKETS, sock.toString()))) {
            String port = py.line();
            Child.Result who = Child.liso("who", port, "--all", "--json");
            assertThat(paths(who)).isEqualTo(doc.get("`liso who PORT|ADDR:PORT|--listening`"));
            // compressed IPv6, and null (not 0) for the uid of a socket nobody holds yet
            Child.Result values = Child.run(List.of("python3", "-c", "import json, sys\n"
                    + "for s in json.load(sys.stdin)['sockets']:\n"
                    + "    print(s['side'], s['local_address'], s['remote_address'], s['uid'], s['inode'])"),
                    who.out());
            assertThat(values.out()).contains("listen ::1 None 0 ").contains("server ::1 ::1 None None")
                    .contains("client ::1 ::1 0 ").doesNotContain("0:0:0:0");

            Child.Result unix = Child.liso("who", sock.toString(), "--json");
            assertThat(paths(unix)).isEqualTo(doc.get("`liso who PATH` (a Unix socket)"));

            Child.Result doctor = Child.liso("doctor", "[::1]:" + port, "--json");
            assertThat(paths(doctor)).isEqualTo(doc.get("`liso doctor ADDR:PORT`"));
            assertThat(doctor.out()).contains("\"address\":\"[::1]:" + port + "\"");

            Child.Result probe = Child.liso("probe", "::1", port, "--json");
            assertThat(paths(probe)).isEqualTo(doc.get("`liso probe HOST PORT[-PORT]`"));
        } finally {
            Files.deleteIfExists(sock);
            Files.delete(dir);
        }
        Child.Result free = Child.liso("free-port", "--bind", "::1", "--json");
        assertThat(paths(free)).isEqualTo(doc.get("`liso free-port`"));
        assertThat(free.out()).contains("\"bind\":\"::1\"");

        try (Child victim = Child.python(Child.PY + "s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen()\n"
                + Child.pyReady("s.getsockname()[1]"))) {
            String port = victim.line();
            Child.Result kill = Child.liso("who", port, "--kill", "--yes", "--grace", "2s", "--json");
            assertThat(paths(kill)).isEqualTo(doc.get("`liso who PORT --kill --json`"));
        }
    }
}
