package org.liso.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/** JDKs other than the one running the tests, for tests of what liso does on a given Java release. */
public final class Jdks {
    private Jdks() {
    }

    /** A JDK whose release is 22 or newer (the FFM API): {@code LISO_JDK22}, else the newest under /usr/lib/jvm. */
    public static Path jdk22() throws IOException {
        return find("LISO_JDK22", 22, 999, "a JDK 22+ (the FFM path)");
    }

    /** A JDK 17-21 (no FFM API): {@code LISO_JDK17}, else the newest such under /usr/lib/jvm. */
    public static Path jdk17() throws IOException {
        return find("LISO_JDK17", 17, 21, "a JDK 17-21 (the path without the FFM API)");
    }

    private static Path find(String variable, int from, int to, String what) throws IOException {
        String env = System.getenv(variable);
        if (env != null && !env.isEmpty()) {
            return Path.of(env);
        }
        Optional<Path> found = Optional.empty();
        int best = 0;
        try (Stream<Path> jvms = Files.list(Path.of("/usr/lib/jvm"))) {
            for (Path j : jvms.sorted().toList()) {
                int v = feature(j);
                if (v >= from && v <= to && v > best && Files.isExecutable(j.resolve("bin/java"))) {
                    best = v;
                    found = Optional.of(j);
                }
            }
        }
        return found.orElseThrow(() -> new AssertionError("this test needs " + what + ": install one under"
                + " /usr/lib/jvm (scripts/install-test-tools.sh) or set " + variable));
    }

    private static int feature(Path jdk) {
        try {
            for (String line : Files.readAllLines(jdk.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=\"")) {
                    return Integer.parseInt(line.substring(14).split("[.\"]")[0]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }
}
