package org.liso.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.liso.cgi.CgiHandler;
import org.liso.cgi.CgiOptions;
import picocli.CommandLine.Option;

/** The CGI flags of serve: one script answers everything under /cgi/ (the classic lisod design). */
final class CgiFlags {

    @Option(names = "--cgi", paramLabel = "SCRIPT", description = "Executable run for requests under /cgi/ (RFC 3875 CGI/1.1).")
    Path script;

    @Option(names = "--cgi-timeout", paramLabel = "TIME", description = "How long a CGI script may go without output before it is killed, 504 (default: ${DEFAULT-VALUE}).")
    TimeSpan timeout = new TimeSpan(CgiOptions.DEFAULT_TIMEOUT_MILLIS);

    @Option(names = "--cgi-max", paramLabel = "N", description = "CGI scripts running at once; more get 503 with Retry-After (default: ${DEFAULT-VALUE}).")
    int max = CgiOptions.DEFAULT_MAX_PROCESSES;

    @Option(names = "--cgi-body-memory", paramLabel = "SIZE", description = "A request body is read whole before its script starts (for CONTENT_LENGTH; no slot held by a slow upload): up to SIZE of it in memory, the rest in a temporary file (default: ${DEFAULT-VALUE}).")
    Size bodyMemory = new Size(CgiOptions.DEFAULT_BODY_MEMORY_BYTES);

    @Option(names = "--cgi-body-dir", paramLabel = "DIR", description = "Where request bodies beyond --cgi-body-memory are buffered, as files unlinked at once (default: the JVM's java.io.tmpdir, ${DEFAULT-VALUE}).")
    Path bodyDir = CgiOptions.DEFAULT.bodyDirectory();

    @Option(names = "--cgi-stream-body", description = "Stream a Content-Length body into a script started as soon as the head arrives (a slow upload then holds a slot); chunked bodies are still buffered.")
    boolean streamBody;

    @Option(names = "--compress-cgi", description = {"gzip a script's 200 of a compressible type for clients that take it (off: a page that",
            "reflects input next to a secret is BREACH-prone)."})
    boolean compress;

    /** Checks what can be checked before anything starts: the values, the spool directory and the script. */
    void check() {
        timeout.positive("--cgi-timeout");
        bodyMemory.toInt("--cgi-body-memory");
        bodyDirectory();
        if (script != null && !Files.isRegularFile(script)) {
            throw new CliFailure(ExitCodes.CONFIG, "CGI script " + script + " does not exist or is not a regular file");
        }
        if (script != null && !Files.isExecutable(script)) {
            throw new CliFailure(ExitCodes.CONFIG, "CGI script " + script + " is not executable (chmod +x " + script
                    + ")");
        }
    }

    /**
     * The handler for {@code --cgi}, or null without it; a missing or non-executable script is a config error.
     *
     * @param software SERVER_SOFTWARE, the name the Server field gives
     */
    CgiHandler handler(Path root, String software) {
        if (script == null) {
            return null;
        }
        try {
            CgiOptions options = CgiOptions.DEFAULT.withTimeoutMillis(timeout.positive("--cgi-timeout"))
                    .withMaxProcesses(max).withDocumentRoot(root).withServerSoftware(software)
                    .withBodyMemoryBytes(bodyMemory.toInt("--cgi-body-memory")).withBodyDirectory(bodyDirectory()).withStreamBody(streamBody).withGzip(compress);
            return new CgiHandler(script, options);
        } catch (IllegalArgumentException e) {
            throw new CliFailure(ExitCodes.CONFIG, e.getMessage());
        }
    }

    /** Request body bytes kept in memory (FastCGI buffers bodies the same way). */
    int bodyMemoryBytes() {
        return bodyMemory.toInt("--cgi-body-memory");
    }

    /** The spool directory must exist and be writable now, not at the first large upload. */
    Path bodyDirectory() {
        Path dir = bodyDir.toAbsolutePath().normalize();
        if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
            throw new CliFailure(ExitCodes.CONFIG, "--cgi-body-dir " + bodyDir + " is not a writable directory");
        }
        return dir;
    }
}
