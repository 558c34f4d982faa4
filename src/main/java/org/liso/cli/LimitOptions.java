package org.liso.cli;

import org.liso.http.RequestLimits;
import org.liso.loop.ConnectionBudget;
import org.liso.server.ServerConfig;
import picocli.CommandLine.Option;

/** Every limit of the HTTP server as a flag, each with its default (shared by serve and lisod). */
final class LimitOptions {
    private static final ServerConfig D = ServerConfig.DEFAULT;

    @Option(names = "--max-connections", description = "Connections served at once; more are reset at once (default: ${DEFAULT-VALUE}).")
    int maxConnections = ConnectionBudget.DEFAULT_MAX;

    @Option(names = "--max-request-line", description = "Longest request line in bytes, 414 beyond (default: ${DEFAULT-VALUE}).")
    int maxRequestLine = D.limits().maxRequestLine();

    @Option(names = "--max-head", description = "Largest request head (line + header fields) in bytes, 431 beyond (default: ${DEFAULT-VALUE}).")
    int maxHead = D.limits().maxHeadBytes();

    @Option(names = "--max-headers", description = "Most header fields in a request, 431 beyond (default: ${DEFAULT-VALUE}).")
    int maxHeaders = D.limits().maxHeaders();

    @Option(names = "--max-body", description = "Largest request body in bytes, 413 beyond (default: ${DEFAULT-VALUE}).")
    long maxBody = D.maxBodyBytes();

    @Option(names = "--header-timeout", description = "Seconds to receive a request head (and a TLS handshake), 408 after (default: ${DEFAULT-VALUE}).")
    double headerTimeout = D.headerTimeoutMillis() / 1000.0;

    @Option(names = "--idle-timeout", description = "Seconds a keep-alive connection may sit idle (default: ${DEFAULT-VALUE}).")
    double idleTimeout = D.idleTimeoutMillis() / 1000.0;

    @Option(names = "--body-timeout", description = "Longest pause in seconds while a request body arrives, 408 after (default: ${DEFAULT-VALUE}).")
    double bodyTimeout = D.bodyTimeoutMillis() / 1000.0;

    @Option(names = "--send-timeout", description = "Seconds without progress sending to a client before it is dropped (default: ${DEFAULT-VALUE}).")
    double sendTimeout = D.sendTimeoutMillis() / 1000.0;

    @Option(names = "--max-requests", description = "Requests per connection before it is closed (default: ${DEFAULT-VALUE}).")
    int maxRequests = D.maxRequestsPerConnection();

    ServerConfig toConfig(boolean requireHost) {
        positive("--max-connections", maxConnections);
        positive("--max-request-line", maxRequestLine);
        positive("--max-head", maxHead);
        positive("--max-headers", maxHeaders);
        positive("--max-requests", maxRequests);
        if (maxBody < 0) {
            throw new CliFailure(ExitCodes.USAGE, "--max-body must not be negative");
        }
        RequestLimits limits = RequestLimits.DEFAULT.withMaxRequestLine(maxRequestLine).withMaxHeadBytes(maxHead)
                .withMaxHeaders(maxHeaders).withRequireHost(requireHost);
        return D.withLimits(limits).withMaxBody(maxBody)
                .withTimeouts(millis("--header-timeout", headerTimeout), millis("--idle-timeout", idleTimeout),
                        millis("--body-timeout", bodyTimeout), millis("--send-timeout", sendTimeout))
                .withMaxRequestsPerConnection(maxRequests);
    }

    private static void positive(String flag, long v) {
        if (v < 1) {
            throw new CliFailure(ExitCodes.USAGE, flag + " must be at least 1, was " + v);
        }
    }

    private static long millis(String flag, double seconds) {
        if (!(seconds > 0)) {
            throw new CliFailure(ExitCodes.USAGE, flag + " must be a positive number of seconds");
        }
        return Math.round(seconds * 1000);
    }
}
