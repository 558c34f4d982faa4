package org.liso.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import org.liso.Liso;
import org.liso.LogWriter;

/**
 * The lisod log-file: a header line, then error/info lines and access lines in one file, through one
 * {@link LogWriter} so lines from the loop and from CGI pumps never interleave mid-line and nobody waits for the disk.
 */
final class LogFile {
    private LogFile() {
    }

    static LogWriter open(Path file) {
        try {
            LogWriter w = LogWriter.toFile("lisod", file);
            w.line(Liso.NAME + " " + Liso.VERSION + " lisod started " + Instant.now() + " pid "
                    + ProcessHandle.current().pid());
            return w;
        } catch (IOException e) {
            throw new CliFailure(ExitCodes.CONFIG, "cannot open log-file " + file + ": " + e.getMessage());
        }
    }
}
