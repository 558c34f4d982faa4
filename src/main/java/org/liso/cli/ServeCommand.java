package org.liso.cli;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.liso.Log;
import org.liso.cgi.CgiHandler;
import org.liso.cgi.DemoCgi;
import org.liso.diag.Addresses;
import org.liso.files.FileOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "serve",
        header = "HTTP/1.1 server: static files, HTTPS and CGI on one event loop.",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {"HTTP/1.1 server for static files on one event loop (HTTPS and CGI on the same loop).",
                "With no options it serves the bundled demo site on http://127.0.0.1:8080/ and https://127.0.0.1:8443/",
                "(a self-signed certificate made at start-up), with the demo CGI at /cgi/.",
                "SIGHUP reloads --key/--cert; SIGINT/SIGTERM stop gracefully (exit 0)."},
        footer = {"%nExamples:",
                "  liso serve",
                "  liso serve --root ./site --http 0.0.0.0:8080 --no-https",
                "  liso serve --root ./site --https :8443 --key key.pem --cert cert.pem --hsts 31536000",
                "  liso serve --root ./site --http [::]:80 --max-connections 10000",
                "  liso serve --root ./site --cgi ./app.cgi --cgi-timeout 10",
                ExitCodes.HELP_FOOTER})
final class ServeCommand implements Callable<Integer> {

    @Option(names = "--root", paramLabel = "DIR", description = "Document root (default: the bundled demo site).")
    Path root;

    @Option(names = "--http", paramLabel = "ADDR", description = "HTTP address, host:port, :port or [v6]:port (default: ${DEFAULT-VALUE}).")
    String http = "127.0.0.1:8080";

    @Option(names = "--list-dirs", description = "List directories that have no index.html (off by default).")
    boolean listDirs;

    @Option(names = "--follow-symlinks", description = "Follow symbolic links that lead outside the root (off by default: 403).")
    boolean followSymlinks;

    @Option(names = "--access-log", paramLabel = "FILE", description = "Combined Log Format access log ('-' for stdout; default: none).")
    String accessLog;

    @Option(names = "--error-log", paramLabel = "FILE", description = "Error/info log (default: stderr).")
    Path errorLog;

    @Option(names = "--header", paramLabel = "'NAME: VALUE'", description = {"A field added to every response (repeatable),",
            "e.g. --header 'Content-Security-Policy: default-src \u0027self\u0027'. X-Content-Type-Options: nosniff is",
            "always sent unless a handler or --header sets its own."})
    java.util.List<String> headers = new java.util.ArrayList<>();

    @Mixin
    TlsFlags tlsFlags;

    @Mixin
    CgiFlags cgiFlags;

    @Mixin
    LimitOptions limits;

    @Mixin
    LogOptions logOptions;

    @Override
    public Integer call() throws Exception {
        logOptions.apply();
        ServerRunner r = new ServerRunner();
        r.root = root != null ? root : DemoContent.site();
        r.fileOptions = FileOptions.DEFAULT.withListDirectories(listDirs).withFollowSymlinksOutsideRoot(followSymlinks);
        r.http = Addresses.parse(http, "127.0.0.1");
        if (root == null && cgiFlags.script == null) {
            // The demo site comes with the demo CGI at /cgi/, unpacked next to it (removed at exit with it).
            cgiFlags.script = DemoCgi.extractTo(r.root.getParent().resolve("cgi-bin"));
        }
        CgiHandler cgi = cgiFlags.handler(r.root);
        if (cgi != null) {
            r.cgi = cgi;
            r.onStop = cgi::close;
        }
        r.config = limits.toConfig(true).withHsts(tlsFlags.hstsSeconds).withExtraHeaders(extraHeaders());
        r.https = tlsFlags.address();
        if (r.https != null) {
            r.tls = tlsFlags.factory(r.announce);
        }
        r.maxConnections = limits.maxConnections;
        r.accessLog = open(accessLog);
        if (errorLog != null) {
            PrintStream err;
            try {
                err = new PrintStream(new FileOutputStream(errorLog.toFile(), true), true, "UTF-8");
            } catch (IOException e) {
                throw new CliFailure(ExitCodes.CONFIG, "cannot open error log " + errorLog + ": " + e.getMessage());
            }
            Log.setSink(new Log.StreamSink(err));
        }
        return r.run();
    }

    private java.util.List<String[]> extraHeaders() {
        java.util.List<String[]> all = new java.util.ArrayList<>();
        for (String h : headers) {
            int colon = h.indexOf(':');
            String name = colon > 0 ? h.substring(0, colon).trim() : "";
            if (name.isEmpty() || !name.chars().allMatch(c -> c > ' ' && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0)) {
                throw new CliFailure(ExitCodes.USAGE, "--header wants 'Name: value', got '" + h + "'");
            }
            String value = h.substring(colon + 1).trim();
            if (value.chars().anyMatch(c -> c < ' ' && c != '\t' || c == 127 || c > 255)) {
                throw new CliFailure(ExitCodes.USAGE, "--header value has a control character: '" + h + "'");
            }
            all.add(new String[] {name, value});
        }
        for (String[] d : org.liso.server.ServerConfig.DEFAULT_HEADERS) {
            if (all.stream().noneMatch(f -> f[0].equalsIgnoreCase(d[0]))) {
                all.add(d);
            }
        }
        return all;
    }

    private static OutputStream open(String file) throws IOException {
        if (file == null) {
            return null;
        }
        if (file.equals("-")) {
            return System.out;
        }
        try {
            return new FileOutputStream(file, true);
        } catch (IOException e) {
            throw new CliFailure(ExitCodes.CONFIG, "cannot open access log " + file + ": " + e.getMessage());
        }
    }
}
