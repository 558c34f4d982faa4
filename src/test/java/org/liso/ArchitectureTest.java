package org.liso;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the rooms of design.md one-way: a package refers only to the rooms listed for it. The root package
 * ({@code org.liso.Liso}, {@code org.liso.Log}) is shared by all. Two checks: what the compiled classes refer to
 * (their constant pools, so a fully-qualified name in code counts as much as an import), and the import lines of the
 * sources (which also catch an imported constant that the compiler inlined away).
 */
class ArchitectureTest {

    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("bytes", Set.of()),
            Map.entry("diag", Set.of()),
            Map.entry("loop", Set.of("bytes", "diag")),
            Map.entry("transport", Set.of("bytes")),
            Map.entry("transport.tls", Set.of("transport", "bytes")),
            Map.entry("transport.proxy", Set.of()),
            Map.entry("http", Set.of("bytes")),
            Map.entry("http2", Set.of("bytes", "http")),
            Map.entry("server.spi", Set.of("http", "bytes", "loop")),
            Map.entry("server", Set.of("loop", "transport", "transport.tls", "transport.proxy", "http", "http2",
                    "server.spi", "bytes", "diag")),
            Map.entry("files", Set.of("http", "server.spi", "bytes")),
            Map.entry("cgi", Set.of("http", "server.spi", "loop", "bytes")),
            Map.entry("fastcgi", Set.of("http", "server.spi", "loop", "bytes", "cgi")),
            Map.entry("echo", Set.of("loop", "transport", "bytes")),
            Map.entry("listen", Set.of("loop", "transport", "bytes", "diag")),
            Map.entry("admin", Set.of("server", "server.spi", "loop", "http", "cgi", "diag", "bytes")),
            Map.entry("top", Set.of("diag")),
            Map.entry("cli", Set.of("*")));

    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?org\\.liso\\.([a-z.]+)\\.[A-Z]",
            Pattern.MULTILINE);

    @Test
    void compiledClassesReferOnlyToWhatLiesBelowThem() throws Exception {
        Path classes = Path.of(Liso.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> violations = new ArrayList<>();
        int checked = classViolations(classes, violations);
        assertThat(checked).as("classes checked under " + classes).isGreaterThan(50);
        assertThat(violations).isEmpty();
    }

    @Test
    void sourcesImportOnlyWhatLiesBelowThem() throws IOException {
        Path root = Path.of("src/main/java/org/liso");
        List<String> violations = new ArrayList<>();
        int files = 0;
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : (Iterable<Path>) paths.filter(f -> f.toString().endsWith(".java"))::iterator) {
                String room = room(root, p);
                if (room.isEmpty()) {
                    continue;
                }
                files++;
                Matcher m = IMPORT.matcher(Files.readString(p));
                while (m.find()) {
                    if (!allowed(room, m.group(1))) {
                        violations.add(p + " imports org.liso." + m.group(1));
                    }
                }
            }
        }
        assertThat(files).isGreaterThan(0);
        assertThat(violations).isEmpty();
    }

    /** The checker itself: a fully-qualified use of cli from http, with no import, is caught. */
    @Test
    void aFullyQualifiedReferenceWithoutImportIsCaught(@TempDir Path dir) throws Exception {
        Path src = dir.resolve("src/org/liso/http/Sneaky.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, """
                package org.liso.http;

                final class Sneaky {
                    void run(String... args) {
                        org.liso.cli.Main.main(args);
                    }
                }
                """);
        Path out = dir.resolve("classes");
        Files.createDirectories(out);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac).as("a JDK with javac runs the tests").isNotNull();
        String classpath = Path.of(Liso.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        int rc = javac.run(null, null, null, "-d", out.toString(), "-cp", classpath, src.toString());
        assertThat(rc).as("javac of the synthetic class").isZero();

        List<String> violations = new ArrayList<>();
        assertThat(classViolations(out, violations)).isEqualTo(1);
        assertThat(violations).containsExactly("org/liso/http/Sneaky.class refers to org.liso.cli");
    }

    /** Adds one line per class under {@code classes} that refers to a room it may not use; returns classes checked. */
    private static int classViolations(Path classes, List<String> violations) throws IOException, URISyntaxException {
        Path root = classes.resolve("org/liso");
        int checked = 0;
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : (Iterable<Path>) paths.filter(f -> f.toString().endsWith(".class"))::iterator) {
                String room = room(root, p);
                if (room.isEmpty()) {
                    continue;
                }
                checked++;
                Set<String> used;
                try (InputStream in = Files.newInputStream(p)) {
                    used = ClassReferences.packages(in);
                }
                for (String u : used) {
                    if (!allowed(room, u)) {
                        violations.add(classes.relativize(p) + " refers to org.liso." + u);
                    }
                }
            }
        }
        return checked;
    }

    private static String room(Path root, Path file) {
        return root.relativize(file.getParent()).toString().replace('/', '.');
    }

    private static boolean allowed(String room, String used) {
        Set<String> allowed = ALLOWED.get(room);
        assertThat(allowed).as("room %s is not in design.md's table", room).isNotNull();
        return allowed.contains("*") || used.equals(room) || allowed.contains(used);
    }
}
