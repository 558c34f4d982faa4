package org.liso.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.liso.cgi.CgiOptions;
import org.liso.fastcgi.FastCgiHandler;
import org.liso.fastcgi.FastCgiOptions;
import org.liso.fastcgi.FastCgiRoute;
import picocli.CommandLine.Option;

/** The FastCGI flags of serve: which paths go to which FastCGI application (PHP-FPM, an application server). */
final class FastCgiFlags {

    @Option(names = "--fastcgi", paramLabel = "PATTERN=ADDRESS", description = "Requests matching PATTERN go to the FastCGI application at ADDRESS (repeatable; first match wins): *.php=unix:/run/php/php-fpm.sock, /app=127.0.0.1:9000. *.EXT needs the script file under --root; /PREFIX is SCRIPT_NAME.")
    List<String> routes = new ArrayList<>();

    @Option(names = "--fastcgi-timeout", paramLabel = "TIME", description = "How long a FastCGI application may go without progress: 504 before its response head, a cut-off response after (default: ${DEFAULT-VALUE}).")
    TimeSpan timeout = new TimeSpan(FastCgiOptions.DEFAULT_TIMEOUT_MILLIS);

    @Option(names = "--fastcgi-conns", paramLabel = "N", description = "Connections per FastCGI application at most, for the whole server (all --loops together); more requests wait their turn, up to --fastcgi-timeout, and are answered 503 at shutdown (default: ${DEFAULT-VALUE}).")
    int conns = FastCgiOptions.DEFAULT_MAX_CONNECTIONS;

    @Option(names = "--fastcgi-idle", paramLabel = "N", description = "Idle connections kept for reuse (FCGI_KEEP_CONN), for the whole server, at most --fastcgi-conns; php-fpm gives a kept connection a worker while it stays open, so keep --fastcgi-conns within pm.max_children (default: ${DEFAULT-VALUE}: one connection per request).")
    int idle = FastCgiOptions.DEFAULT_MAX_IDLE;

    private List<FastCgiRoute> parsed;

    /** Checks the routes and values before anything starts (a usage error). */
    void check() {
        timeout.positive("--fastcgi-timeout");
        if (conns <= 0) {
            throw new CliFailure(ExitCodes.USAGE, "--fastcgi-conns must be positive: " + conns);
        }
        if (idle < 0 || idle > conns) {
            throw new CliFailure(ExitCodes.USAGE, "--fastcgi-idle must be between 0 and --fastcgi-conns (" + conns
                    + "): " + idle);
        }
        parsed = new ArrayList<>();
        for (String spec : routes) {
            try {
                parsed.add(FastCgiRoute.parse(spec));
            } catch (IllegalArgumentException e) {
                throw new CliFailure(ExitCodes.USAGE, e.getMessage());
            }
        }
    }

    /**
     * The handler, or null without {@code --fastcgi}. Request bodies are buffered as for CGI.
     *
     * @param software SERVER_SOFTWARE
     */
    FastCgiHandler handler(Path root, String software, CgiFlags cgi) {
        if (parsed == null) {
            check();
        }
        if (parsed.isEmpty()) {
            return null;
        }
        CgiOptions environment = CgiOptions.DEFAULT.withDocumentRoot(root).withServerSoftware(software);
        return new FastCgiHandler(new FastCgiOptions(parsed, timeout.positive("--fastcgi-timeout"), conns, idle,
                cgi.bodyMemoryBytes(), cgi.bodyDirectory(), root, environment));
    }
}
