package org.liso.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.http.HttpException;

/** The file-system half: symlinks, special files and permissions, on a real directory tree. */
class FileLookupTest {
    @TempDir
    Path tmp;

    private Path root;
    private Path outside;

    @BeforeEach
    void tree() throws IOException {
        root = Files.createDirectories(tmp.resolve("www")).toRealPath();
        outside = Files.createDirectories(tmp.resolve("secret")).toRealPath();
        Files.writeString(outside.resolve("passwd"), "root:x:0:0");
        Files.writeString(root.resolve("real.txt"), "inside");
        Files.createDirectories(root.resolve("dir"));
        Files.createSymbolicLink(root.resolve("inner-link.txt"), Path.of("real.txt"));
        Files.createSymbolicLink(root.resolve("dir/up-link.txt"), Path.of("../real.txt"));
        Files.createSymbolicLink(root.resolve("escape.txt"), outside.resolve("passwd"));
        Files.createSymbolicLink(root.resolve("escape-rel.txt"), Path.of("../secret/passwd"));
        Files.createSymbolicLink(root.resolve("escape-dir"), outside);
        Files.createSymbolicLink(root.resolve("dangling"), Path.of("no-such-target"));
        Files.createSymbolicLink(root.resolve("loop-a"), Path.of("loop-b"));
        Files.createSymbolicLink(root.resolve("loop-b"), Path.of("loop-a"));
    }

    private FileLookup.Found find(boolean follow, String raw) throws HttpException {
        return new FileLookup(root, follow, false).find(PathResolver.parse(raw));
    }

    private int status(boolean follow, String raw) {
        HttpException e = catchThrowableOfType(() -> find(follow, raw), HttpException.class);
        assertThat(e).as(raw).isNotNull();
        return e.status();
    }

    @Test
    void symlinksInsideTheRootAreFollowed() throws HttpException {
        assertThat(((FileLookup.RegularFile) find(false, "/inner-link.txt")).path())
                .isEqualTo(root.resolve("real.txt"));
        assertThat(((FileLookup.RegularFile) find(false, "/dir/up-link.txt")).path())
                .isEqualTo(root.resolve("real.txt"));
    }

    @Test
    void symlinksLeadingOutsideAreForbidden() {
        assertThat(status(false, "/escape.txt")).isEqualTo(403);
        assertThat(status(false, "/escape-rel.txt")).isEqualTo(403);
        assertThat(status(false, "/escape-dir/passwd")).isEqualTo(403);
        assertThat(status(false, "/escape-dir/")).isEqualTo(403);
    }

    @Test
    void theFlagAllowsThem() throws HttpException {
        assertThat(((FileLookup.RegularFile) find(true, "/escape.txt")).path()).isEqualTo(outside.resolve("passwd"));
        assertThat(((FileLookup.RegularFile) find(true, "/escape-dir/passwd")).path())
                .isEqualTo(outside.resolve("passwd"));
    }

    @Test
    void danglingIs404AndALoopIs403() {
        assertThat(status(false, "/dangling")).isEqualTo(404);
        assertThat(status(false, "/loop-a")).isEqualTo(403);
    }

    @Test
    void specialFilesAreNotServed() throws Exception {
        Path fifo = root.resolve("pipe");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertThat(p.waitFor()).isZero();
        assertThat(status(false, "/pipe")).as("opening a FIFO would block the loop").isEqualTo(403);
    }

    @Test
    void indexThatIsADirectoryOrLeadsOutsideIsNoIndex() throws IOException {
        Files.createDirectories(root.resolve("d1/index.html"));
        assertThat(status(false, "/d1/")).isEqualTo(403);
        Files.createDirectories(root.resolve("d2"));
        Files.createSymbolicLink(root.resolve("d2/index.html"), outside.resolve("passwd"));
        assertThat(status(false, "/d2/")).isEqualTo(403);
    }

    @Test
    void listingIsOfferedOnlyWhenAllowed() throws HttpException {
        FileLookup.Found f = new FileLookup(root, false, true).find(PathResolver.parse("/dir/"));
        assertThat(f).isInstanceOf(FileLookup.Listing.class);
        assertThat(((FileLookup.Listing) f).directory()).isEqualTo(root.resolve("dir"));
        assertThat(status(false, "/dir/")).isEqualTo(403);
    }

    /**
     * Permission bits do not stop root, which runs this suite in CI; then the lookup runs in a child JVM as
     * {@code nobody} (via setpriv) on a world-traversable copy of the tree, where they do.
     */
    @Test
    void unreadableIs403() throws Exception {
        Path shared = Files.createTempDirectory("liso-perm");
        try {
            Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path locked = shared.resolve("locked.txt");
            Files.writeString(locked, "x");
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
            Path closedDir = Files.createDirectories(shared.resolve("closed"));
            Files.setPosixFilePermissions(closedDir, PosixFilePermissions.fromString("-wx------"));
            Files.writeString(shared.resolve("open.txt"), "x");
            if (!Files.isReadable(locked)) {
                assertThat(new FileLookup(shared.toRealPath(), false, true).find(PathResolver.parse("/open.txt")))
                        .isInstanceOf(FileLookup.RegularFile.class);
                assertThat(catchThrowableOfType(() -> new FileLookup(shared.toRealPath(), false, true)
                        .find(PathResolver.parse("/locked.txt")), HttpException.class).status()).isEqualTo(403);
                return;
            }
            assertThat(probeAsNobody(shared, "/open.txt", "")).as("control: nobody reads a readable file")
                    .isEqualTo("200");
            assertThat(probeAsNobody(shared, "/locked.txt", "")).isEqualTo("403");
            assertThat(probeAsNobody(shared, "/closed/", "list")).isEqualTo("403");
            assertThat(probeAsNobody(shared, "/closed/x.txt", "")).isEqualTo("403");
        } finally {
            try (var walk = Files.walk(shared)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String probeAsNobody(Path root, String raw, String list) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = Path.of("target/classes").toAbsolutePath() + ":" + Path.of("target/test-classes").toAbsolutePath();
        Process p = new ProcessBuilder("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", java,
                "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", cp, LookupProbe.class.getName(), root.toString(),
                raw, list).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }
}
