package org.liso.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The bundled demo site (and demo CGI), unpacked to a private temporary directory removed at exit. */
final class DemoContent {
    private DemoContent() {
    }

    static Path site() throws IOException {
        Path dir = Files.createTempDirectory("liso-demo-");
        deleteOnExit(dir);
        Path root = dir.resolve("www");
        Files.createDirectories(root);
        Files.writeString(root.resolve("index.html"), "<!doctype html><title>Liso</title><h1>Liso</h1>\n");
        return root;
    }

    private static void deleteOnExit(Path dir) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temp dir left behind is harmless
            }
        }));
    }
}
