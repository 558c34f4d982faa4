package org.liso.cgi;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.liso.Log;

/**
 * Logs every line a script writes to stderr as a warning tagged with the request (RFC 3875 §9.4 leaves it to us),
 * fed read by read ({@link #accept}, then {@link #end}) from the loop, or drained from a stream by a pump thread.
 */
final class StderrLogger {
    /** A longer line is logged in pieces, so a script without newlines cannot grow our memory. */
    static final int MAX_LINE = 4096;

    private final long requestId;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(128);

    StderrLogger(long requestId) {
        this.requestId = requestId;
    }

    /** Reads {@code stderr} to its end on the calling (pump) thread, logging each line. */
    static void drain(InputStream stderr, long requestId) {
        StderrLogger lines = new StderrLogger(requestId);
        byte[] buf = new byte[4096];
        try (InputStream in = stderr) {
            for (int n; (n = in.read(buf)) >= 0; ) {
                lines.accept(ByteBuffer.wrap(buf, 0, n));
            }
        } catch (IOException closed) {
            // the script was killed or its pipe closed: what was read is logged below
        }
        lines.end();
    }

    /** Takes all of {@code bytes}. */
    void accept(ByteBuffer bytes) {
        while (bytes.hasRemaining()) {
            byte b = bytes.get();
            if (b == '\n') {
                emit();
            } else if (b != '\r') {
                line.write(b);
                if (line.size() >= MAX_LINE) {
                    emit();
                }
            }
        }
    }

    /** Stderr ended: a last line without its newline is logged too. */
    void end() {
        if (line.size() > 0) {
            emit();
        }
    }

    private void emit() {
        Log.warn("cgi", "stderr", "request", requestId, "line", line.toString(StandardCharsets.UTF_8));
        line.reset();
    }
}
