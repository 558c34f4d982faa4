package org.liso.files;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** {@code liso serve --root DIR --http 127.0.0.1:0} as a real child process; its URL comes from its stdout. */
final class LisoServeProcess implements AutoCloseable {
    private final Process process;
    final String url;

    private LisoServeProcess(Process process, String url) {
        this.process = process;
        this.url = url;
    }

    /** {@code prefix} runs the JVM through another command (e.g. setpriv to drop privileges); may be empty. */
    static LisoServeProcess start(Path root, List<String> prefix, String... extra) throws Exception {
        String jar = System.getProperty("liso.jar", "target/liso.jar");
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-jar", jar,
                "serve", "--root", root.toString(), "--http", "127.0.0.1:0", "--no-https"));
        cmd.addAll(List.of(extra));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                for (String l = out.readLine(); l != null; l = out.readLine()) {
                    if (l.startsWith("liso serve: http://")) {
                        return l.substring("liso serve: ".length());
                    }
                }
                return null;
            } catch (IOException e) {
                return null;
            }
        });
        String url = null;
        try {
            url = line.get(20, TimeUnit.SECONDS);
        } finally {
            if (url == null) {
                p.destroyForcibly();
            }
        }
        if (url == null) {
            throw new IllegalStateException("liso serve printed no URL; exit " + p.waitFor());
        }
        return new LisoServeProcess(p, url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
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
