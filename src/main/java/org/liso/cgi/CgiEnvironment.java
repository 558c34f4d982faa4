package org.liso.cgi;

import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.liso.http.Headers;
import org.liso.http.HttpException;
import org.liso.http.PercentDecoding;

/**
 * The CGI/1.1 meta-variables of RFC 3875 §4.1 for one request: a pure function of the request's facts and the CGI
 * options, so that every variable can be checked in a table test. FastCGI builds its parameters here too.
 */
public final class CgiEnvironment {
    /** Requests for this path or below it run the script; it is the script's URI path (RFC 3875 §4.1.13). */
    static final String SCRIPT_NAME = "/cgi";
    /** The PATH a script starts with when the server's own environment has none. */
    static final String DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";

    private CgiEnvironment() {
    }

    /**
     * The meta-variables for {@code facts}, plus PATH (so that {@code #!/usr/bin/env python3} scripts work).
     *
     * @throws HttpException 400 when the part of the path after {@code /cgi} has a malformed or NUL percent escape
     *                       (it cannot be decoded into PATH_INFO)
     */
    static Map<String, String> build(RequestFacts facts, CgiOptions options, String pathVariable)
            throws HttpException {
        return build(facts, options, pathVariable, SCRIPT_NAME, pathInfo(facts.path()));
    }

    /**
     * The meta-variables for a script found at {@code scriptName} (§4.1.13), with {@code pathInfo} the rest of the
     * decoded path (§4.1.5; empty for none): for a gateway whose script is not always {@code /cgi} (FastCGI).
     */
    public static Map<String, String> build(RequestFacts facts, CgiOptions options, String pathVariable,
            String scriptName, String pathInfo) {
        Map<String, String> env = new TreeMap<>();
        env.put("PATH", pathVariable == null || pathVariable.isEmpty() ? DEFAULT_PATH : pathVariable);
        env.put("GATEWAY_INTERFACE", "CGI/1.1");
        env.put("SERVER_SOFTWARE", options.serverSoftware());
        env.put("SERVER_NAME", serverName(facts, options));
        env.put("SERVER_PORT", Integer.toString(facts.local().getPort()));
        env.put("SERVER_PROTOCOL", facts.protocol());
        env.put("REQUEST_METHOD", facts.method());
        env.put("REQUEST_URI", facts.target());
        env.put("SCRIPT_NAME", scriptName);
        // §4.1.5/§4.1.6: a NULL PATH_INFO leaves both PATH_INFO and PATH_TRANSLATED unset.
        if (!pathInfo.isEmpty()) {
            env.put("PATH_INFO", pathInfo);
            if (options.documentRoot() != null) {
                env.put("PATH_TRANSLATED", options.documentRoot().toAbsolutePath().normalize() + pathInfo);
            }
        }
        // §4.1.7: QUERY_STRING is always set, empty when the URI has no query.
        env.put("QUERY_STRING", facts.query() == null ? "" : facts.query());
        // §4.1.2: the length of the body the script reads, after the server removed any transfer coding.
        if (facts.bodyLength() >= 0) {
            env.put("CONTENT_LENGTH", Long.toString(facts.bodyLength()));
        }
        String type = facts.headers().get("Content-Type");
        if (type != null) {
            env.put("CONTENT_TYPE", type);
        }
        String remoteAddr = address(facts.remote());
        env.put("REMOTE_ADDR", remoteAddr);
        // §4.1.9: the server MAY substitute REMOTE_ADDR for a host name it did not look up.
        env.put("REMOTE_HOST", remoteAddr);
        env.put("REMOTE_PORT", Integer.toString(facts.remote().getPort()));
        if (facts.secure()) {
            env.put("HTTPS", "on");
        }
        addProtocolVariables(env, facts.headers());
        return env;
    }

    /**
     * §4.1.18: every request header as HTTP_NAME. Content-Length and Content-Type are already CONTENT_*;
     * Transfer-Encoding is left out because the body on stdin never carries one (the server decoded it, and a script
     * or library that saw "chunked" would try to decode it again). Proxy is never passed: a script would read it as
     * HTTP_PROXY, its outgoing proxy setting (the "httpoxy" hole, CVE-2016-5385). Names holding '_' are dropped, as
     * Apache and nginx do, so that no header can pose as another one whose dashes became underscores.
     */
    private static void addProtocolVariables(Map<String, String> env, Headers headers) {
        for (int i = 0; i < headers.size(); i++) {
            String name = headers.name(i);
            if (name.equalsIgnoreCase("Proxy") || name.equalsIgnoreCase("Content-Length")
                    || name.equalsIgnoreCase("Content-Type") || name.equalsIgnoreCase("Transfer-Encoding")
                    || name.indexOf('_') >= 0) {
                continue;
            }
            String key = "HTTP_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
            String value = headers.value(i);
            // §4.1.18: repeated fields are joined; Cookie pairs are separated by "; " (RFC 6265 §5.4).
            String separator = name.equalsIgnoreCase("Cookie") ? "; " : ", ";
            env.merge(key, value, (old, next) -> old + separator + next);
        }
    }

    private static String serverName(RequestFacts facts, CgiOptions options) {
        if (options.serverName() != null) {
            return options.serverName();
        }
        String host = facts.headers().get("Host");
        if (host != null && !host.isBlank()) {
            return hostWithoutPort(host.trim());
        }
        return address(facts.local());
    }

    static String hostWithoutPort(String host) {
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            return close < 0 ? host : host.substring(0, close + 1);
        }
        int colon = host.indexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }

    private static String address(InetSocketAddress a) {
        if (a.getAddress() == null) {
            return a.getHostString();
        }
        String text = a.getAddress().getHostAddress();
        int scope = text.indexOf('%');
        return scope < 0 ? text : text.substring(0, scope);
    }

    /** The path below SCRIPT_NAME, percent-decoded (§4.1.5: PATH_INFO is not URL-encoded). */
    static String pathInfo(String path) throws HttpException {
        if (!path.startsWith(SCRIPT_NAME)) {
            return "";
        }
        return percentDecode(path.substring(SCRIPT_NAME.length()));
    }

    public static String percentDecode(String s) throws HttpException {
        // An environment string ends at NUL: the script would see a different path than the client sent.
        return PercentDecoding.decode(s, (b, escaped) -> b == 0 ? "NUL byte in path" : null);
    }
}
