package org.liso.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One run of a real client (curl, openssl, python3, chromium) to its end: exit code and output (stdout+stderr). */
public record Tool(int exitCode, String output) {

    /** Runs {@code command}; one still running after {@code timeoutSeconds} is killed by its pid and fails. */
    public static Tool run(long timeoutSeconds, List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("liso-tool", ".out");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor();
                throw new AssertionError(command.get(0) + " did not end within " + timeoutSeconds + " s: "
                        + Files.readString(out, StandardCharsets.UTF_8));
            }
            return new Tool(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    public static Tool run(long timeoutSeconds, String... command) throws IOException, InterruptedException {
        return run(timeoutSeconds, List.of(command));
    }
}
