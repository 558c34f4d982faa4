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

    @Option(names = "--max-request-line", paramLabel = "SIZE", description = "Longest request line, 414 beyond (default: ${DEFAULT-VALUE}).")
    Size maxRequestLine = new Size(D.limits().maxRequestLine());

    @Option(names = "--max-head", paramLabel = "SIZE", description = "Largest request head (line + header fields), 431 beyond (default: ${DEFAULT-VALUE}).")
    Size maxHead = new Size(D.limits().maxHeadBytes());

    @Option(names = "--max-headers", paramLabel = "N", description = "Most header fields in a request, 431 beyond (default: ${DEFAULT-VALUE}).")
    int maxHeaders = D.limits().maxHeaders();

    @Option(names = "--max-body", paramLabel = "SIZE", description = "Largest request body, 413 beyond (default: ${DEFAULT-VALUE}).")
    Size maxBody = new Size(D.maxBodyBytes());

    @Option(names = "--header-timeout", paramLabel = "TIME", description = "Time to receive a request head (and a TLS handshake), 408 after (default: ${DEFAULT-VALUE}).")
    TimeSpan headerTimeout = new TimeSpan(D.headerTimeoutMillis());

    @Option(names = "--idle-timeout", paramLabel = "TIME", description = "How long a keep-alive connection may sit idle (default: ${DEFAULT-VALUE}).")
    TimeSpan idleTimeout = new TimeSpan(D.idleTimeoutMillis());

    @Option(names = "--body-timeout", paramLabel = "TIME", description = "Longest pause while a request body arrives, 408 after (default: ${DEFAULT-VALUE}).")
    TimeSpan bodyTimeout = new TimeSpan(D.bodyTimeoutMillis());

    @Option(names = "--send-timeout", paramLabel = "TIME", description = "Time without progress sending to a client before it is dropped (default: ${DEFAULT-VALUE}).")
    TimeSpan sendTimeout = new TimeSpan(D.sendTimeoutMillis());

    @Option(names = "--response-timeout", paramLabel = "TIME", description = {"How long a request may wait for its handler's answer, or a streamed answer",
            "may pause, before 500 (or close once begun); keep it above --cgi-timeout (default: ${DEFAULT-VALUE})."})
    TimeSpan responseTimeout = new TimeSpan(D.responseTimeoutMillis());

    @Option(names = "--max-requests", paramLabel = "N", description = "Requests per connection before it is closed (default: ${DEFAULT-VALUE}).")
    int maxRequests = D.maxRequestsPerConnection();

    @Option(names = "--sndbuf", paramLabel = "SIZE", description = {"SO_SNDBUF of each connection (default: 0, the kernel's autotuning).",
            "On loopback 64-256 KiB makes large files faster (fewer bytes queued, warmer caches); on long-RTT",
            "links a fixed buffer caps each download at SIZE per round trip."})
    Size sendBuffer = new Size(0);

    @Option(names = "--shutdown-grace", paramLabel = "TIME", description = {"On SIGINT/SIGTERM, how long responses in flight get to finish;",
            "CGI scripts are stopped (TERM, then KILL) before it ends (default: ${DEFAULT-VALUE})."})
    TimeSpan shutdownGrace = new TimeSpan(ServerRunner.DEFAULT_SHUTDOWN_GRACE_MILLIS);

    long shutdownGraceMillis() {
        return shutdownGrace.positive("--shutdown-grace");
    }

    ServerConfig toConfig(boolean requireHost) {
        positive("--max-connections", maxConnections);
        positive("--max-request-line", maxRequestLine.toInt("--max-request-line"));
        positive("--max-head", maxHead.toInt("--max-head"));
        positive("--max-headers", maxHeaders);
        positive("--max-requests", maxRequests);
        RequestLimits limits = RequestLimits.DEFAULT.withMaxRequestLine(maxRequestLine.toInt("--max-request-line"))
                .withMaxHeadBytes(maxHead.toInt("--max-head"))
                .withMaxHeaders(maxHeaders).withRequireHost(requireHost);
        return D.withLimits(limits).withMaxBody(maxBody.bytes())
                .withTimeouts(headerTimeout.positive("--header-timeout"), idleTimeout.positive("--idle-timeout"),
                        bodyTimeout.positive("--body-timeout"), sendTimeout.positive("--send-timeout"))
                .withResponseTimeout(responseTimeout.positive("--response-timeout"))
                .withMaxRequestsPerConnection(maxRequests).withSendBuffer(sendBuffer.toInt("--sndbuf"));
    }

    private static void positive(String flag, long v) {
        if (v < 1) {
            throw new CliFailure(ExitCodes.USAGE, flag + " must be at least 1, was " + v);
        }
    }
}
