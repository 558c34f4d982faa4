package org.liso.fastcgi;

import java.nio.file.Path;
import java.util.List;
import org.liso.cgi.CgiOptions;

/**
 * How FastCGI applications are reached: the routes ({@code --fastcgi}, first match wins), the time an application
 * may go without progress ({@code --fastcgi-timeout}: connecting, writing the request, or reading the response; 504
 * before the response head), the idle connections kept per application and loop for reuse ({@code --fastcgi-idle};
 * 0 closes each after its request, without FCGI_KEEP_CONN), how request bodies are buffered (the CGI settings:
 * {@code --cgi-body-memory}, {@code --cgi-body-dir}), and the environment's settings (document root,
 * SERVER_SOFTWARE) as CGI has them.
 */
public record FastCgiOptions(List<FastCgiRoute> routes, long timeoutMillis, int maxIdle, int bodyMemoryBytes,
                             Path bodyDirectory, Path documentRoot, CgiOptions environment) {
    public static final long DEFAULT_TIMEOUT_MILLIS = 30_000;
    public static final int DEFAULT_MAX_IDLE = 16;

    public FastCgiOptions {
        routes = List.copyOf(routes);
        if (timeoutMillis <= 0) {
            throw new IllegalArgumentException("FastCGI timeout must be positive: " + timeoutMillis);
        }
        if (maxIdle < 0) {
            throw new IllegalArgumentException("FastCGI idle connections must not be negative: " + maxIdle);
        }
        documentRoot = documentRoot.toAbsolutePath().normalize();
    }
}
