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

    @Option(names = "--fastcgi-idle", paramLabel = "auto|N", description = "Connections kept for reuse (FCGI_KEEP_CONN), for the whole server: auto learns how many the application serves at once (php-fpm gives a kept connection a worker while it stays open) and keeps that many; 0 opens one connection per request; N keeps up to N idle, at most --fastcgi-conns, which should then be within pm.max_children (default: ${DEFAULT-VALUE}).")
    String idle = "auto";

    private List<FastCgiRoute> parsed;

    /** Checks the routes and values before anything starts (a usage error). */
    void check() {
        timeout.positive("--fastcgi-timeout");
        if (conns <= 0) {
            throw new CliFailure(ExitCodes.USAGE, "--fastcgi-conns must be positive: " + conns);
        }
        idleConnections();
        parsed = new ArrayList<>();
        for (String spec : routes) {
            try {
                parsed.add(FastCgiRoute.parse(spec));
            } catch (IllegalArgumentException e) {
                throw new CliFailure(ExitCodes.USAGE, e.getMessage());
            }
        }
    }

    /** --fastcgi-idle as FastCgiOptions takes it: {@link FastCgiOptions#IDLE_LEARNED} for auto. */
    private int idleConnections() {
        if (idle.trim().equalsIgnoreCase("auto")) {
            return FastCgiOptions.IDLE_LEARNED;
        }
        int n;
        try {
            n = Integer.parseInt(idle.trim());
        } catch (NumberFormatException e) {
            throw new CliFailure(ExitCodes.USAGE, "--fastcgi-idle wants auto or a number, got '" + idle + "'");
        }
        if (n < 0 || n > conns) {
            throw new CliFailure(ExitCodes.USAGE, "--fastcgi-idle must be auto or between 0 and --fastcgi-conns ("
                    + conns + "): " + idle);
        }
        return n;
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
        return new FastCgiHandler(new FastCgiOptions(parsed, timeout.positive("--fastcgi-timeout"), conns,
                idleConnections(),
                cgi.bodyMemoryBytes(), cgi.bodyDirectory(), root, environment));
    }
}
