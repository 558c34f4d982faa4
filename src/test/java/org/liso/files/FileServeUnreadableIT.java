package org.liso.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.liso.files.LisoServeProcess.curl;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Unreadable files and directories give 403. Permission bits do not stop root, so when the suite runs as root the
 * server runs as {@code nobody} (via setpriv), as a real deployment would after dropping privileges.
 */
class FileServeUnreadableIT {

    @Test
    void unreadableIs403() throws Exception {
        Path root = Files.createTempDirectory("liso-unreadable-");
        try {
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.writeString(root.resolve("open.txt"), "open");
            Files.setPosixFilePermissions(root.resolve("open.txt"), PosixFilePermissions.fromString("rw-r--r--"));
            Path locked = Files.writeString(root.resolve("locked.txt"), "locked");
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
            Path closed = Files.createDirectories(root.resolve("closed"));
            Files.writeString(closed.resolve("inner.txt"), "inner");
            Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("rwx------"));
            boolean asRoot = ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
            List<String> prefix = asRoot
                    ? List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups")
                    : List.of();
            if (!asRoot) {
                Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("-wx------"));
            }
            try (LisoServeProcess server = LisoServeProcess.start(root, prefix, "--list-dirs")) {
                assertThat(code(server, "/open.txt")).as("control: the server reads what it may").isEqualTo("200");
                assertThat(code(server, "/locked.txt")).isEqualTo("403");
                assertThat(code(server, "/closed/")).isEqualTo("403");
                assertThat(code(server, "/closed/inner.txt")).isEqualTo("403");
            }
        } finally {
            try (Stream<Path> walk = Files.walk(root)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String code(LisoServeProcess server, String path) throws Exception {
        return curl("-o", "/dev/null", "-w", "%{http_code}", server.url + path).text();
    }
}
