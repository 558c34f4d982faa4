package org.liso.fastcgi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** curl as the tests' HTTP client: the status, the body as text, curl's exit code. */
final class Curl {
    record Reply(int exit, int status, String body) {
    }

    private Curl() {
    }

    static Reply run(String... args) throws IOException, InterruptedException {
        return await(start(args));
    }

    /** curl running in the background; {@link #await} gives its reply. */
    static Process start(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "60", "-w", "\n%{http_code}"));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    static Reply await(Process p) throws IOException, InterruptedException {
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("curl did not finish");
        }
        int nl = out.lastIndexOf('\n');
        return new Reply(p.exitValue(), Integer.parseInt(out.substring(nl + 1).trim()), out.substring(0, nl));
    }
}
