package org.liso.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.testing.LisoProcess;
import org.liso.testing.Lisod;

/**
 * The ./liso launcher where Java or Maven is missing (a PATH of just the tools it needs besides them), with a JDK
 * too old, and on PATH through `make install` or a symlink.
 */
class LauncherIT {
    @TempDir
    Path tmp;

    private record Run(int exit, String out, String err) {
    }

    /** A directory of links to the named tools, to be the whole PATH. */
    private Path tools(String... names) throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("tools"));
        for (String name : names) {
            Path real = which(name);
            Files.createSymbolicLink(bin.resolve(name), real);
        }
        return bin;
    }

    private static Path which(String name) {
        if (name.equals("java")) {
            return Path.of(LisoProcess.java());
        }
        for (String dir : System.getenv("PATH").split(":")) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        throw new IllegalStateException("not on PATH: " + name);
    }

    /** A checkout of just the launcher: no target/, so it wants to build. */
    private Path bareCheckout() throws Exception {
        Path co = Files.createDirectories(tmp.resolve("checkout"));
        Files.copy(Lisod.repo().resolve("liso"), co.resolve("liso"));
        return co;
    }

    private static Run run(List<String> cmd, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("JAVA_HOME");
        pb.environment().putAll(env);
        Path err = Files.createTempFile("launcher", ".err");
        Process p = pb.redirectError(err.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(String.join(" ", cmd)).isTrue();
        String e = Files.readString(err);
        Files.delete(err);
        return new Run(p.exitValue(), out, e);
    }

    @Test
    void withoutJavaSaysWhatToInstallInOneLine() throws Exception {
        Path co = bareCheckout();
        Path bin = tools("bash", "dirname", "readlink");
        Run r = run(List.of(bin.resolve("bash").toString(), co.resolve("liso").toString(), "--version"),
                Map.of("PATH", bin.toString()));
        assertThat(r.exit()).isEqualTo(69);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("liso: needs Java 17 or newer (install a JDK, e.g. apt-get install "
                + "openjdk-17-jdk-headless, or set JAVA_HOME)\n");
    }

    @Test
    void withoutMavenWhenABuildIsDueSaysWhatToInstallInOneLine() throws Exception {
        Path co = bareCheckout();
        Path bin = tools("bash", "dirname", "readlink", "sed", "find", "java");
        Run r = run(List.of(bin.resolve("bash").toString(), co.resolve("liso").toString(), "--version"),
                Map.of("PATH", bin.toString()));
        assertThat(r.exit()).isEqualTo(69);
        assertThat(r.err()).isEqualTo("liso: needs Maven to build " + co.toRealPath().resolve("target/liso.jar")
                + " (install it, e.g. apt-get install maven)\n");
        assertThat(co.resolve("target")).doesNotExist();
    }

    @Test
    void aJdkOlderThan17IsNamedInOneLine() throws Exception {
        Path co = bareCheckout();
        Path jdk = Files.createDirectories(tmp.resolve("jdk-11/bin"));
        Files.writeString(jdk.getParent().resolve("release"), "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"11.0.2\"\n");
        Path java = jdk.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho 'this old java must not be run' >&2\nexit 3\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Run r = run(List.of("bash", co.resolve("liso").toString(), "--version"),
                Map.of("JAVA_HOME", jdk.getParent().toString()));
        assertThat(r.exit()).isEqualTo(69);
        assertThat(r.err()).isEqualTo("liso: needs Java 17 or newer, found Java 11 at " + java
                + " (install a newer JDK, e.g. apt-get install openjdk-17-jdk-headless, or set JAVA_HOME)\n");
    }

    @Test
    void makeInstallPutsAWorkingLisoOnPath() throws Exception {
        Path prefix = tmp.resolve("prefix with space");
        Run make = run(List.of("make", "-s", "-C", Lisod.repo().toString(), "install", "PREFIX=" + prefix),
                Map.of());
        assertThat(make.exit()).as(make.err()).isZero();
        Run r = run(List.of(prefix.resolve("bin/liso").toString(), "--version"), Map.of());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("liso ");
        assertThat(r.err()).doesNotContain("building");
        Run gone = run(List.of("make", "-s", "-C", Lisod.repo().toString(), "uninstall", "PREFIX=" + prefix),
                Map.of());
        assertThat(gone.exit()).isZero();
        assertThat(prefix.resolve("bin/liso")).doesNotExist();
    }

    @Test
    void aSymlinkToTheLauncherFindsTheCheckout() throws Exception {
        Path link = Files.createDirectories(tmp.resolve("bin")).resolve("liso");
        Files.createSymbolicLink(link, Lisod.repo().resolve("liso"));
        Run r = run(List.of(link.toString(), "--version"), Map.of());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("liso ");
    }
}
