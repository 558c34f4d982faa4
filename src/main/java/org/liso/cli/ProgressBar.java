package org.liso.cli;

import java.io.PrintStream;

/** A one-line progress bar redrawn in place on a terminal's stderr; at most about 20 redraws per second. */
final class ProgressBar {
    private static final int WIDTH = 40;

    private final PrintStream err;
    private final int total;
    private long lastDraw;

    ProgressBar(PrintStream err, int total) {
        this.err = err;
        this.total = total;
    }

    void update(int done) {
        long now = System.nanoTime();
        if (done < total && now - lastDraw < 50_000_000L) {
            return;
        }
        lastDraw = now;
        int filled = (int) ((long) WIDTH * done / total);
        err.print("\r[" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + done + "/" + total);
        err.flush();
    }

    void clear() {
        err.print("\r" + " ".repeat(WIDTH + 24) + "\r");
        err.flush();
    }
}
