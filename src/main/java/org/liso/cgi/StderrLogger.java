package org.liso.cgi;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.liso.Log;

/** Logs every line a script writes to stderr as a warning tagged with the request (RFC 3875 §9.4 leaves it to us). */
final class StderrLogger {
    /** A longer line is logged in pieces, so a script without newlines cannot grow our memory. */
    static final int MAX_LINE = 4096;

    private StderrLogger() {
    }

    static void drain(InputStream stderr, long requestId) {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        byte[] buf = new byte[4096];
        try (InputStream in = stderr) {
            for (int n; (n = in.read(buf)) >= 0; ) {
                for (int i = 0; i < n; i++) {
                    byte b = buf[i];
                    if (b == '\n') {
                        emit(line, requestId);
                    } else if (b != '\r') {
                        line.write(b);
                        if (line.size() >= MAX_LINE) {
                            emit(line, requestId);
                        }
                    }
                }
            }
        } catch (IOException closed) {
            // the script was killed or its pipe closed: what was read is logged below
        }
        if (line.size() > 0) {
            emit(line, requestId);
        }
    }

    private static void emit(ByteArrayOutputStream line, long requestId) {
        Log.warn("cgi", "stderr", "request", requestId, "line", line.toString(StandardCharsets.UTF_8));
        line.reset();
    }
}
