package org.liso.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One run of {@code liso ARGS...} to its end, as a shell runs it: its exit code, stdout and stderr. A run that has
 * not ended after 30 s is killed (by its pid) and fails the test.
 */
public record LisoRun(int exitCode, String stdout, String stderr) {

    public static LisoRun of(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(LisoProcess.java(), "-Xmx128m", "-XX:+UseSerialGC", "-jar",
                LisoProcess.jar().toString()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("liso-run", ".out");
        Path err = Files.createTempFile("liso-run", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor();
                throw new AssertionError("liso " + String.join(" ", args) + " did not end within 30 s; stderr: "
                        + Files.readString(err, StandardCharsets.UTF_8));
            }
            return new LisoRun(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** The non-empty lines of stderr. */
    public List<String> errorLines() {
        return stderr.lines().filter(l -> !l.isBlank()).toList();
    }
}
