package org.liso.cli;

import org.liso.http.RequestLimits;
import org.liso.loop.ConnectionBudget;
import org.liso.server.ServerConfig;
import picocli.CommandLine.Option;

/** Every limit of the HTTP server as a flag, each with its default (shared by serve and lisod). */
final class LimitOptions {
    private static final ServerConfig D = ServerConfig.DEFAULT;

    @Option(names = "--max-connections", paramLabel = "N", description = "Connections served at once; more are reset at once (default: ${DEFAULT-VALUE}).")
    int maxConnections = ConnectionBudget.DEFAULT_MAX;

    @Option(names = "--max-request-line", paramLabel = "BYTES", description = "Longest request line in bytes, 414 beyond (default: ${DEFAULT-VALUE}).")
    int maxRequestLine = D.limits().maxRequestLine();

    @Option(names = "--max-head", paramLabel = "BYTES", description = "Largest request head (line + header fields) in bytes, 431 beyond (default: ${DEFAULT-VALUE}).")
    int maxHead = D.limits().maxHeadBytes();

    @Option(names = "--max-headers", paramLabel = "N", description = "Most header fields in a request, 431 beyond (default: ${DEFAULT-VALUE}).")
    int maxHeaders = D.limits().maxHeaders();

    @Option(names = "--max-body", paramLabel = "BYTES", description = "Largest request body in bytes, 413 beyond (default: ${DEFAULT-VALUE}).")
    long maxBody = D.maxBodyBytes();

    @Option(names = "--header-timeout", paramLabel = "SECONDS", description = "Seconds to receive a request head (and a TLS handshake), 408 after (default: ${DEFAULT-VALUE}).")
    double headerTimeout = D.headerTimeoutMillis() / 1000.0;

    @Option(names = "--idle-timeout", paramLabel = "SECONDS", description = "Seconds a keep-alive connection may sit idle (default: ${DEFAULT-VALUE}).")
    double idleTimeout = D.idleTimeoutMillis() / 1000.0;

    @Option(names = "--body-timeout", paramLabel = "SECONDS", description = "Longest pause in seconds while a request body arrives, 408 after (default: ${DEFAULT-VALUE}).")
    double bodyTimeout = D.bodyTimeoutMillis() / 1000.0;

    @Option(names = "--send-timeout", paramLabel = "SECONDS", description = "Seconds without progress sending to a client before it is dropped (default: ${DEFAULT-VALUE}).")
    double sendTimeout = D.sendTimeoutMillis() / 1000.0;

    @Option(names = "--response-timeout", paramLabel = "SECONDS", description = {"Seconds a request may wait for its handler's answer, or a streamed answer",
            "may pause, before 500 (or close once begun); keep it above --cgi-timeout (default: ${DEFAULT-VALUE})."})
    double responseTimeout = D.responseTimeoutMillis() / 1000.0;

    @Option(names = "--max-requests", paramLabel = "N", description = "Requests per connection before it is closed (default: ${DEFAULT-VALUE}).")
    int maxRequests = D.maxRequestsPerConnection();

    @Option(names = "--sndbuf", paramLabel = "BYTES", description = {"SO_SNDBUF of each connection (default: 0, the kernel's autotuning).",
            "On loopback 64-256 KiB makes large files faster (fewer bytes queued, warmer caches); on long-RTT",
            "links a fixed buffer caps each download at BYTES per round trip."})
    int sendBuffer;

    @Option(names = "--shutdown-grace", paramLabel = "SECONDS", description = {"On SIGINT/SIGTERM, seconds responses in flight get to finish;",
            "CGI scripts are stopped (TERM, then KILL) before it ends (default: ${DEFAULT-VALUE})."})
    double shutdownGrace = ServerRunner.DEFAULT_SHUTDOWN_GRACE_MILLIS / 1000.0;

    long shutdownGraceMillis() {
        return millis("--shutdown-grace", shutdownGrace);
    }

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
                .withResponseTimeout(millis("--response-timeout", responseTimeout))
                .withMaxRequestsPerConnection(maxRequests).withSendBuffer(nonNegative("--sndbuf", sendBuffer));
    }

    private static int nonNegative(String flag, int v) {
        if (v < 0) {
            throw new CliFailure(ExitCodes.USAGE, flag + " must not be negative");
        }
        return v;
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
