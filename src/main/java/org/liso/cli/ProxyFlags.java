package org.liso.cli;

import org.liso.server.ProxyOptions;
import org.liso.transport.proxy.TrustedProxies;
import picocli.CommandLine.Option;

/**
 * The flags of serve for running behind proxies: which listeners read a PROXY protocol header, whose header is
 * believed, and whether trusted HTTP proxies' Forwarded / X-Forwarded-For are followed. Nothing is trusted unless
 * named, so with none of these flags a client's own words never change the address it is served and logged as.
 */
final class ProxyFlags {

    @Option(names = "--proxy-protocol", paramLabel = "LISTENERS", arity = "0..1", fallbackValue = "all",
            description = {"Every connection to these listeners (http, https or all; default when given alone: all)",
                    "must start with a PROXY protocol v1 or v2 header (HAProxy's send-proxy / send-proxy-v2), read",
                    "before TLS, from a --trusted-proxies peer; its client address is the one logged and given to",
                    "CGI. Anything else is closed. Listeners without it never read one."})
    String listeners;

    @Option(names = "--trusted-proxies", paramLabel = "CIDR,...", description = {"Peers whose PROXY header or",
            "forwarded headers are believed, e.g. 127.0.0.1,10.0.0.0/8,::1 (default: none)."})
    String trusted;

    @Option(names = "--forwarded-headers", description = {"Take the client address from Forwarded (RFC 7239) or",
            "X-Forwarded-For sent by a --trusted-proxies peer: the right-most hop that is not a trusted proxy (off",
            "by default; for deployments behind an HTTP proxy)."})
    boolean forwardedHeaders;

    /** Which listeners read the header, checked against the ones that run. */
    record Listeners(boolean http, boolean https) {
    }

    Listeners listeners(boolean httpOn, boolean httpsOn) {
        if (listeners == null) {
            return new Listeners(false, false);
        }
        Listeners l = switch (listeners) {
            case "all" -> new Listeners(httpOn, httpsOn);
            case "http" -> new Listeners(true, false);
            case "https" -> new Listeners(false, true);
            case "http,https", "https,http" -> new Listeners(true, true);
            default -> throw new CliFailure(ExitCodes.USAGE, "--proxy-protocol wants http, https or all, got '"
                    + listeners + "'");
        };
        if (l.http() && !httpOn || l.https() && !httpsOn) {
            throw new CliFailure(ExitCodes.USAGE, "--proxy-protocol=" + listeners + " names a listener that is off");
        }
        return l;
    }

    /** The options, after the checks that make a half-configured proxy setup a usage error rather than a surprise. */
    ProxyOptions options() {
        if (trusted == null) {
            if (listeners != null || forwardedHeaders) {
                throw new CliFailure(ExitCodes.USAGE, (listeners != null ? "--proxy-protocol" : "--forwarded-headers")
                        + " needs --trusted-proxies: the addresses of the proxies whose word is taken");
            }
            return ProxyOptions.NONE;
        }
        if (listeners == null && !forwardedHeaders) {
            throw new CliFailure(ExitCodes.USAGE,
                    "--trusted-proxies applies to --proxy-protocol or --forwarded-headers; neither is on");
        }
        try {
            return new ProxyOptions(TrustedProxies.parse(trusted), forwardedHeaders);
        } catch (IllegalArgumentException e) {
            throw new CliFailure(ExitCodes.USAGE, "--trusted-proxies: " + e.getMessage());
        }
    }
}
