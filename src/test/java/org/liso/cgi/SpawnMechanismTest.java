package org.liso.cgi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which spawn a script gets: Liso's own posix_spawn only on Java 22+ and only for a file the kernel execs itself;
 * the JDK's otherwise (Java 17-21, a script without a #! line, an explicit launch mechanism). Both spawns run real
 * scripts here; the whole CGI behaviour under each is checked by CgiPosixSpawnIT and the other CGI tests.
 */
class SpawnMechanismTest {
    private static final boolean FFM = Runtime.version().feature() >= 22;

    @TempDir
    Path dir;

    @Test
    void aHashBangScriptGetsLisosOwnSpawnWhereTheRuntimeHasTheFfmApi() throws Exception {
        Path script = script("#!/bin/sh\necho \"hi $GREETING\"\n");
        SpawnMechanism.Spawner s = SpawnMechanism.choose(script);
        assertThat(s.name()).isEqualTo(FFM ? "posix_spawn" : "jdk");
        assertThat(s.virtualThreadsFit()).isEqualTo(!FFM);
        assertThat(run(s, script)).isEqualTo("hi there\n");
    }

    @Test
    void aScriptWithoutAHashBangLineIsLeftToTheJdkWhichRunsItWithSh() throws Exception {
        Path script = script("echo \"hi $GREETING\"\n");
        SpawnMechanism.Spawner s = SpawnMechanism.choose(script);
        assertThat(s.name()).isEqualTo("jdk");
        assertThat(run(s, script)).isEqualTo("hi there\n");
    }

    @Test
    void anExplicitLaunchMechanismKeepsTheJdksSpawn() throws Exception {
        String before = System.getProperty(SpawnMechanism.PROPERTY);
        System.setProperty(SpawnMechanism.PROPERTY, before != null ? before : "VFORK");
        try {
            assertThat(SpawnMechanism.choose(script("#!/bin/sh\n")).name()).isEqualTo("jdk");
        } finally {
            if (before == null) {
                System.clearProperty(SpawnMechanism.PROPERTY);
            }
        }
    }

    @Test
    void aMissingProgramFailsToStartWithTheReason() throws Exception {
        Path script = script("#!/bin/sh\n");
        SpawnMechanism.Spawner s = SpawnMechanism.choose(script);
        ScriptCommand c = new ScriptCommand(List.of(dir.resolve("gone").toString()), dir.toFile(), Map.of());
        try {
            s.start(c).destroyForcibly();
            throw new AssertionError("started a missing program");
        } catch (IOException e) {
            assertThat(e.getMessage()).contains("error=2, No such file or directory");
        }
    }

    private Path script(String text) throws IOException {
        Path p = Files.createTempFile(dir, "script", ".cgi");
        Files.writeString(p, text);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    private String run(SpawnMechanism.Spawner s, Path script) throws Exception {
        Process p = s.start(new ScriptCommand(List.of(script.toString()), dir.toFile(), Map.of("GREETING", "there")));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.getErrorStream().readAllBytes();
        assertThat(p.waitFor()).isZero();
        assertThat(p.isAlive()).isFalse();
        return out;
    }
}
