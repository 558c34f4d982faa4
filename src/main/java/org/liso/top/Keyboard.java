package org.liso.top;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The terminal {@code liso top} runs on: its width, and a key press ('q' quits, as in top) without waiting for
 * Enter. The JDK has no raw mode, so stty switches the terminal to character-at-a-time input with no echo, and its
 * saved settings are put back at the end (on Ctrl-C too, from a shutdown hook).
 */
final class Keyboard implements AutoCloseable {
    private static final File TTY = new File("/dev/tty");

    private final String saved;
    private volatile boolean quit;
    private final Thread restore = new Thread(this::restore, "top-terminal-restore");

    private Keyboard(String saved) {
        this.saved = saved;
    }

    /** Takes the terminal's keys; null when there is no terminal or stty is missing (then only a signal stops top). */
    static Keyboard open() {
        String saved = stty("-g");
        if (saved == null || stty("-icanon", "-echo", "min", "1") == null) {
            return null;
        }
        Keyboard k = new Keyboard(saved.strip());
        Runtime.getRuntime().addShutdownHook(k.restore);
        Thread reader = new Thread(k::read, "top-keys");
        reader.setDaemon(true);
        reader.start();
        return k;
    }

    /** Columns of the terminal, or {@code fallback}. */
    static int columns(int fallback) {
        String size = stty("size");
        if (size != null) {
            String[] rc = size.strip().split("\\s+");
            if (rc.length == 2 && rc[1].matches("\\d+") && Integer.parseInt(rc[1]) > 0) {
                return Integer.parseInt(rc[1]);
            }
        }
        return fallback;
    }

    boolean quit() {
        return quit;
    }

    private void read() {
        try {
            for (int c; (c = System.in.read()) >= 0; ) {
                if (c == 'q' || c == 'Q') {
                    quit = true;
                    return;
                }
            }
        } catch (IOException ignored) {
            // no more keys: a signal still stops top
        }
    }

    @Override
    public void close() {
        restore();
        try {
            Runtime.getRuntime().removeShutdownHook(restore);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }

    private void restore() {
        stty(saved);
        System.out.print(Top.SHOW_CURSOR);
        System.out.flush();
    }

    /** Runs stty on the terminal; its output, or null when it failed. */
    private static String stty(String... args) {
        if (!TTY.exists()) {
            return null;
        }
        String[] cmd = new String[args.length + 1];
        cmd[0] = "stty";
        System.arraycopy(args, 0, cmd, 1, args.length);
        try {
            Process p = new ProcessBuilder(cmd).redirectInput(TTY).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
