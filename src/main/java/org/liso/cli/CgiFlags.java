package org.liso.cli;

import java.nio.file.Path;
import org.liso.cgi.CgiHandler;
import org.liso.cgi.CgiOptions;
import picocli.CommandLine.Option;

/** The CGI flags of serve: one script answers everything under /cgi/ (the classic lisod design). */
final class CgiFlags {

    @Option(names = "--cgi", paramLabel = "SCRIPT", description = "Executable run for requests under /cgi/ (RFC 3875 CGI/1.1).")
    Path script;

    @Option(names = "--cgi-timeout", paramLabel = "SECONDS", description = "Seconds a CGI script may go without output before it is killed, 504 (default: ${DEFAULT-VALUE}).")
    double timeout = CgiOptions.DEFAULT_TIMEOUT_MILLIS / 1000.0;

    @Option(names = "--cgi-max", paramLabel = "N", description = "CGI scripts running at once; more get 503 with Retry-After (default: ${DEFAULT-VALUE}).")
    int max = CgiOptions.DEFAULT_MAX_PROCESSES;

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
            CgiOptions options = CgiOptions.DEFAULT.withTimeoutMillis(Math.max(1, Math.round(timeout * 1000)))
                    .withMaxProcesses(max).withDocumentRoot(root).withServerSoftware(software);
            return new CgiHandler(script, options);
        } catch (IllegalArgumentException e) {
            throw new CliFailure(ExitCodes.CONFIG, e.getMessage());
        }
    }
}
