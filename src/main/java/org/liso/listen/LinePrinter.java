package org.liso.listen;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code --print}, {@code --raw} and {@code --hex}: writes what clients send to stdout. In text form each received
 * line becomes one tagged line; partial lines wait per connection (up to {@link #MAX_PENDING} bytes, cut only
 * between UTF-8 characters) so concurrent clients do not interleave inside a line. Raw bytes go out unchanged;
 * hex lines are tagged and keep a per-connection offset. Callers {@link #flush()} once per batch they read.
 */
final class LinePrinter {
    static final int MAX_PENDING = 8192;

    private final PrintStream out;
    private final ListenMode mode;
    private final Map<Long, ByteArrayOutputStream> pending = new HashMap<>();
    private final Map<Long, long[]> offsets = new HashMap<>();

    LinePrinter(PrintStream out) {
        this(out, ListenMode.PRINT);
    }

    LinePrinter(PrintStream out, ListenMode mode) {
        this.out = out;
        this.mode = mode;
    }

    void print(ConnectionTag tag, ByteBuffer data) {
        if (mode == ListenMode.RAW) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            out.write(b, 0, b.length);
            return;
        }
        if (mode == ListenMode.HEX) {
            long[] offset = offsets.computeIfAbsent(tag.id(), k -> new long[1]);
            HexLines.write(out, tag.toString(), offset, data);
            return;
        }
        // Bytes, not chars, wait for the newline: a UTF-8 sequence split across reads is decoded whole.
        ByteArrayOutputStream line = pending.computeIfAbsent(tag.id(), k -> new ByteArrayOutputStream());
        while (data.hasRemaining()) {
            byte b = data.get();
            if (b == '\n') {
                emit(tag, line.toByteArray(), line.size(), true);
                line.reset();
            } else {
                line.write(b);
                if (line.size() >= MAX_PENDING) {
                    byte[] bytes = line.toByteArray();
                    int cut = utf8Boundary(bytes);
                    emit(tag, bytes, cut, false);
                    line.reset();
                    line.write(bytes, cut, bytes.length - cut);
                }
            }
        }
    }

    void flush() {
        out.flush();
    }

    /** Writes a connection's unfinished last line, if any. */
    void finish(ConnectionTag tag) {
        offsets.remove(tag.id());
        ByteArrayOutputStream line = pending.remove(tag.id());
        if (line != null && line.size() > 0) {
            emit(tag, line.toByteArray(), line.size(), false);
        }
    }

    /** The length of the longest prefix of {@code b} that ends between UTF-8 characters (RFC 3629 section 3). */
    static int utf8Boundary(byte[] b) {
        int n = b.length;
        for (int back = 1; back <= 3 && back <= n; back++) {
            int lead = b[n - back] & 0xff;
            if (lead < 0x80) {
                return n; // ASCII: whole
            }
            if (lead >= 0xc0) {
                int len = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
                return back >= len ? n : n - back;
            }
        }
        return n;
    }

    private void emit(ConnectionTag tag, byte[] bytes, int length, boolean endOfLine) {
        int end = length;
        if (endOfLine && end > 0 && bytes[end - 1] == '\r') {
            end--; // CRLF ends a line as LF does; --raw keeps every byte
        }
        out.println(tag + " " + new String(bytes, 0, end, StandardCharsets.UTF_8));
    }
}
