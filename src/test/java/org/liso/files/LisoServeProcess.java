package org.liso.files;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.liso.testing.LisoProcess;

/** {@code liso serve --root DIR --http 127.0.0.1:0} as a real child process ({@link LisoProcess}), plus curl. */
final class LisoServeProcess implements AutoCloseable {
    private final LisoProcess liso;
    final String url;

    private LisoServeProcess(LisoProcess liso) {
        this.liso = liso;
        String u = liso.url(0);
        this.url = u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
    }

    /** {@code prefix} runs the JVM through another command (e.g. setpriv to drop privileges); may be empty. */
    static LisoServeProcess start(Path root, List<String> prefix, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(LisoProcess.java(), "-Xmx256m", "-jar", LisoProcess.jar().toString(), "serve", "--root",
                root.toString(), "--http", "127.0.0.1:0", "--no-https"));
        cmd.addAll(List.of(extra));
        return new LisoServeProcess(LisoProcess.startCommand(1, cmd));
    }

    /** What the server wrote to stderr so far (its error log). */
    String stderr() throws IOException {
        return liso.stderr();
    }

    @Override
    public void close() throws InterruptedException {
        liso.close();
    }

    /** Runs curl with {@code args}; stdout and stderr separately, bounded in time. */
    static Result curl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "--max-time", "20", "-sS"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> {
            try {
                return p.getErrorStream().readAllBytes();
            } catch (IOException e) {
                return new byte[0];
            }
        });
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("curl did not finish: " + cmd);
        }
        return new Result(p.exitValue(), out, new String(err.get(), StandardCharsets.UTF_8));
    }

    /** What curl printed. */
    record Result(int exit, byte[] out, String err) {
        String text() {
            return new String(out, StandardCharsets.UTF_8);
        }
    }
}
