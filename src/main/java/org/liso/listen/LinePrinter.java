package org.liso.listen;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code --print}: writes what clients send to stdout, one tagged line per received line. Partial lines wait per
 * connection (up to {@link #MAX_PENDING} bytes) so concurrent clients do not interleave inside a line.
 */
final class LinePrinter {
    static final int MAX_PENDING = 8192;

    private final PrintStream out;
    private final Map<Long, ByteArrayOutputStream> pending = new HashMap<>();

    LinePrinter(PrintStream out) {
        this.out = out;
    }

    void print(ConnectionTag tag, ByteBuffer data) {
        // Bytes, not chars, wait for the newline: a UTF-8 sequence split across reads is decoded whole.
        ByteArrayOutputStream line = pending.computeIfAbsent(tag.id(), k -> new ByteArrayOutputStream());
        while (data.hasRemaining()) {
            byte b = data.get();
            if (b == '\n') {
                emit(tag, line);
            } else {
                line.write(b);
                if (line.size() >= MAX_PENDING) {
                    emit(tag, line);
                }
            }
        }
        out.flush();
    }

    /** Writes a connection's unfinished last line, if any. */
    void finish(ConnectionTag tag) {
        ByteArrayOutputStream line = pending.remove(tag.id());
        if (line != null && line.size() > 0) {
            emit(tag, line);
            out.flush();
        }
    }

    private void emit(ConnectionTag tag, ByteArrayOutputStream line) {
        String text = line.toString(StandardCharsets.UTF_8);
        if (text.endsWith("\r")) {
            text = text.substring(0, text.length() - 1);
        }
        out.println(tag + " " + text);
        line.reset();
    }
}
