package org.liso;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the rooms of design.md one-way: a package imports only the rooms listed for it. The root package
 * ({@code org.liso.Liso}, {@code org.liso.Log}) is shared by all.
 */
class ArchitectureTest {

    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("bytes", Set.of()),
            Map.entry("diag", Set.of()),
            Map.entry("loop", Set.of("bytes", "diag")),
            Map.entry("transport", Set.of("bytes")),
            Map.entry("transport.tls", Set.of("transport", "bytes")),
            Map.entry("http", Set.of("bytes")),
            Map.entry("http2", Set.of("bytes", "http")),
            Map.entry("server.spi", Set.of("http", "bytes", "loop")),
            Map.entry("server", Set.of("loop", "transport", "transport.tls", "http", "server.spi", "bytes", "diag")),
            Map.entry("files", Set.of("http", "server.spi", "bytes")),
            Map.entry("cgi", Set.of("http", "server.spi", "loop", "bytes")),
            Map.entry("echo", Set.of("loop", "transport", "bytes")),
            Map.entry("listen", Set.of("loop", "transport", "bytes", "diag")),
            Map.entry("cli", Set.of("*")));

    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?org\\.liso\\.([a-z.]+)\\.[A-Z]",
            Pattern.MULTILINE);

    @Test
    void packagesImportOnlyWhatLiesBelowThem() throws IOException {
        Path root = Path.of("src/main/java/org/liso");
        List<String> violations = new ArrayList<>();
        int files = 0;
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : (Iterable<Path>) paths.filter(f -> f.toString().endsWith(".java"))::iterator) {
                String room = root.relativize(p.getParent()).toString().replace('/', '.');
                if (room.isEmpty()) {
                    continue;
                }
                files++;
                Set<String> allowed = ALLOWED.get(room);
                assertThat(allowed).as("room %s of %s is not in design.md's table", room, p).isNotNull();
                if (allowed.contains("*")) {
                    continue;
                }
                Matcher m = IMPORT.matcher(Files.readString(p));
                while (m.find()) {
                    String used = m.group(1);
                    if (!used.equals(room) && !allowed.contains(used)) {
                        violations.add(p + " imports org.liso." + used);
                    }
                }
            }
        }
        assertThat(files).isGreaterThan(0);
        assertThat(violations).isEmpty();
    }
}
