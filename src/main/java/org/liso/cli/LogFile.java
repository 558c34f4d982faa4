package org.liso.cli;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import org.liso.Liso;
import org.liso.Log;

/**
 * The lisod log-file: a header line, then error/info lines and access lines in one file. Writers from the loop and
 * from CGI pumps share one synchronized stream, so lines never interleave mid-line.
 */
final class LogFile extends OutputStream implements Log.Sink {
    private final FileOutputStream out;

    private LogFile(FileOutputStream out) {
        this.out = out;
    }

    static LogFile open(Path file) {
        try {
            LogFile f = new LogFile(new FileOutputStream(file.toFile(), true));
            f.line(Liso.NAME + " " + Liso.VERSION + " lisod started " + Instant.now() + " pid "
                    + ProcessHandle.current().pid());
            return f;
        } catch (IOException e) {
            throw new CliFailure(ExitCodes.CONFIG, "cannot open log-file " + file + ": " + e.getMessage());
        }
    }

    @Override
    public synchronized void line(String line) {
        try {
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // nowhere left to say it: keep serving
        }
    }

    @Override
    public synchronized void write(int b) throws IOException {
        out.write(b);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
