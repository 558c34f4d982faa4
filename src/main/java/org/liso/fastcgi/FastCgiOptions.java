package org.liso.fastcgi;

import java.nio.file.Path;
import java.util.List;
import org.liso.cgi.CgiOptions;

/**
 * How FastCGI applications are reached: the routes ({@code --fastcgi}, first match wins), the time an application
 * may go without progress ({@code --fastcgi-timeout}: waiting for a connection, connecting, writing the request, or
 * reading the response; 504 before the response head), the connections per application at most, for the whole
 * server whatever its loops ({@code --fastcgi-conns}; more requests wait their turn), the idle connections kept for
 * reuse with FCGI_KEEP_CONN, also for the whole server ({@code --fastcgi-idle}: {@link #IDLE_LEARNED}, the default
 * {@code auto}, keeps connections within the application's workers as {@link LearnedLimit} learns them; 0 closes each
 * after its request; N keeps up to N, and then {@code --fastcgi-conns} must not exceed the workers: PHP-FPM binds a
 * worker to a kept connection for as long as it stays open, so kept connections beyond its workers starve others),
 * how request bodies are buffered (the CGI settings: {@code --cgi-body-memory}, {@code --cgi-body-dir}), and the
 * environment's settings (document root, SERVER_SOFTWARE) as CGI has them.
 */
public record FastCgiOptions(List<FastCgiRoute> routes, long timeoutMillis, int maxConnections, int maxIdle,
                             int bodyMemoryBytes,
                             Path bodyDirectory, Path documentRoot, CgiOptions environment) {
    public static final long DEFAULT_TIMEOUT_MILLIS = 30_000;
    public static final int DEFAULT_MAX_CONNECTIONS = 16;
    /** {@code --fastcgi-idle auto}: connections are kept, as many as the application is learned to serve at once. */
    public static final int IDLE_LEARNED = -1;
    public static final int DEFAULT_MAX_IDLE = IDLE_LEARNED;

    public FastCgiOptions {
        routes = List.copyOf(routes);
        if (timeoutMillis <= 0) {
            throw new IllegalArgumentException("FastCGI timeout must be positive: " + timeoutMillis);
        }
        if (maxConnections <= 0) {
            throw new IllegalArgumentException("FastCGI connections must be positive: " + maxConnections);
        }
        if (maxIdle != IDLE_LEARNED && (maxIdle < 0 || maxIdle > maxConnections)) {
            throw new IllegalArgumentException("FastCGI idle connections must be between 0 and the connections ("
                    + maxConnections + "): " + maxIdle);
        }
        documentRoot = documentRoot.toAbsolutePath().normalize();
    }

    /** The same applications for a site with another document root (SCRIPT_FILENAME, DOCUMENT_ROOT, PATH_TRANSLATED). */
    public FastCgiOptions withDocumentRoot(Path root) {
        return new FastCgiOptions(routes, timeoutMillis, maxConnections, maxIdle, bodyMemoryBytes, bodyDirectory, root,
                environment.withDocumentRoot(root.toAbsolutePath().normalize()));
    }
}
