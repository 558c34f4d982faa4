package org.liso.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.liso.Liso;
import org.liso.Log;
import org.liso.LogWriter;
import org.liso.cgi.DemoCgi;
import org.liso.diag.Addresses;
import org.liso.files.FileOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "serve",
        header = "HTTP/1.1 server: static files, HTTPS and CGI on event loops, one per core.",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {"HTTP/1.1 server for static files on N event loops (--loops, default one per processor; HTTPS and CGI on the same loops).",
                "With no options it serves the bundled demo site on http://127.0.0.1:8080/ and https://127.0.0.1:8443/",
                "(a self-signed certificate made at start-up), with the demo CGI at /cgi/.",
                "HTTPS is opt-in: it runs only with --https or --key/--cert, or in that no-argument demo.",
                "SIGHUP reloads --key/--cert and reopens the logs; SIGUSR1 reopens the logs (logrotate);",
                "SIGINT/SIGTERM stop gracefully (exit 0): CGI scripts still running are stopped within the grace."},
        footer = {"%nExamples:",
                "  liso serve",
                "  liso serve --root ./site --http 0.0.0.0:8080",
                "  liso serve --https :8443 --key key.pem --cert cert.pem --hsts 31536000",
                "  liso serve --root ./site --http [::]:80 --max-connections 10000",
                "  liso serve --root ./site --loops 2",
                "  liso serve --root ./site --cgi ./app.cgi --cgi-timeout 10",
                "  liso serve --root ./site --no-server-version",
                UnitsHelp.FOOTER, ExitCodes.HELP_FOOTER})
final class ServeCommand implements Callable<Integer> {

    @Option(names = "--root", paramLabel = "DIR", description = "Document root (default: the bundled demo site).")
    Path root;

    static final String DEFAULT_HTTP = "127.0.0.1:8080";

    @Option(names = "--http", paramLabel = "ADDR", description = "HTTP address, host:port, :port or [v6]:port (default: " + DEFAULT_HTTP + ").")
    String http;

    @Option(names = "--list-dirs", description = "List directories that have no index.html (off by default).")
    boolean listDirs;

    @Option(names = "--list-dirs-max", paramLabel = "N",
            description = "Names on one listing page: the first N by name, then a link to the next page (default: 10000).")
    int listDirsMax = 10_000;

    @Option(names = "--follow-symlinks", description = "Follow symbolic links that lead outside the root (off by default: 403).")
    boolean followSymlinks;

    @Option(names = "--access-log", paramLabel = "FILE", description = "Combined Log Format access log ('-' for stdout; default: none).")
    String accessLog;

    @Option(names = "--error-log", paramLabel = "FILE", description = "Error/info log (default: stderr).")
    Path errorLog;

    @Option(names = "--header", paramLabel = "'NAME: VALUE'", description = {"A field added to every response (repeatable),",
            "e.g. --header \"Content-Security-Policy: default-src 'self'\". X-Content-Type-Options: nosniff is",
            "always sent unless a handler or --header sets its own."})
    java.util.List<String> headers = new java.util.ArrayList<>();

    @Option(names = "--server-header", paramLabel = "VALUE", description = {"The Server field of every response and the",
            "CGI SERVER_SOFTWARE (default: liso/<version>); '' sends no Server field."})
    String serverHeader;

    @Option(names = "--no-server-version", description = "Server: liso, without the version (like nginx's server_tokens off).")
    boolean noServerVersion;

    @Mixin
    TlsFlags tlsFlags;

    @Mixin
    CgiFlags cgiFlags;

    @Mixin
    LimitOptions limits;

    @Mixin
    LogOptions logOptions;

    @Mixin
    LoopOptions loopOptions;

    /**
     * Everything the command line says is checked before anything is done: a usage error (2) or a bad configuration
     * (78) must not come after a certificate was made and announced, a demo unpacked or a log file created.
     */
    @Override
    public Integer call() throws Exception {
        logOptions.apply();
        ServerRunner r = new ServerRunner();
        // The demo: the bundled site on its default address, which shows HTTPS and CGI too.
        boolean demo = root == null && http == null;
        r.http = Addresses.parse(http != null ? http : DEFAULT_HTTP, "127.0.0.1");
        r.https = tlsFlags.address(demo);
        tlsFlags.checkApplies(r.https != null);
        ServerRunner.checkDistinct(r.http, r.https);
        String server = serverHeader();
        r.config = limits.toConfig(true).withHsts(tlsFlags.hstsSeconds()).withExtraHeaders(extraHeaders())
                .withServerHeader(server);
        r.maxConnections = limits.maxConnections;
        r.loops = loopOptions.resolve(true);
        r.shutdownGraceMillis = limits.shutdownGraceMillis();
        TlsFlags.Checked tls = r.https != null ? tlsFlags.check() : null;
        if (root != null && (!Files.isDirectory(root) || !Files.isReadable(root))) {
            throw new CliFailure(ExitCodes.CONFIG, "document root is not a readable directory: " + root);
        }
        cgiFlags.check();

        r.root = root != null ? root : DemoContent.site();
        r.fileOptions = FileOptions.DEFAULT.withListDirectories(listDirs)
                .withListDirectoriesMax(listDirsMax).withFollowSymlinksOutsideRoot(followSymlinks);
        if (root == null && cgiFlags.script == null) {
            // The demo site comes with the demo CGI at /cgi/, unpacked next to it (removed at exit with it).
            cgiFlags.script = DemoCgi.extractTo(r.root.getParent().resolve("cgi-bin"));
        }
        r.cgi = cgiFlags.handler(r.root, server.isEmpty() ? Liso.NAME : server);
        if (tls != null) {
            r.tls = tls.factory(r.announce);
        }
        r.accessLog = open(accessLog);
        try {
            r.errorLog = errorLog == null ? LogWriter.toStream("error", System.err)
                    : LogWriter.toFile("error", errorLog);
        } catch (IOException e) {
            if (r.accessLog != null) {
                r.accessLog.close();
            }
            throw new CliFailure(ExitCodes.CONFIG, "cannot open error log " + errorLog + ": " + e.getMessage());
        }
        Log.setSink(r.errorLog);
        return r.run();
    }

    private String serverHeader() {
        if (serverHeader == null) {
            return noServerVersion ? Liso.NAME : Liso.SERVER;
        }
        if (noServerVersion) {
            throw new CliFailure(ExitCodes.USAGE, "--server-header and --no-server-version exclude each other");
        }
        String value = serverHeader.trim();
        if (value.chars().anyMatch(c -> c < ' ' && c != '\t' || c == 127 || c > 255)) {
            throw new CliFailure(ExitCodes.USAGE, "--server-header value has a control character: '" + value + "'");
        }
        return value;
    }

    private java.util.List<String[]> extraHeaders() {
        java.util.List<String[]> all = new java.util.ArrayList<>();
        for (String h : headers) {
            int colon = h.indexOf(':');
            String name = colon > 0 ? h.substring(0, colon).trim() : "";
            if (name.isEmpty() || !name.chars().allMatch(c -> c > ' ' && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0)) {
                throw new CliFailure(ExitCodes.USAGE, "--header wants 'Name: value', got '" + h + "'");
            }
            if (name.equalsIgnoreCase("Server")) {
                throw new CliFailure(ExitCodes.USAGE, "the Server field is set with --server-header, not --header");
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

    private static LogWriter open(String file) {
        if (file == null) {
            return null;
        }
        if (file.equals("-")) {
            return LogWriter.toStream("access", System.out);
        }
        try {
            return LogWriter.toFile("access", Path.of(file));
        } catch (IOException e) {
            throw new CliFailure(ExitCodes.CONFIG, "cannot open access log " + file + ": " + e.getMessage());
        }
    }
}
