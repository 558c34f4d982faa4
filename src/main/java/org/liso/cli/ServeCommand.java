package org.liso.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.liso.Liso;
import org.liso.Log;
import org.liso.LogWriter;
import org.liso.cgi.DemoCgi;
import org.liso.diag.Addresses;
import org.liso.files.FileOptions;
import org.liso.transport.tls.TlsTransportFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "serve",
        header = "HTTP/1.1 and HTTP/2 server: static files, HTTPS and CGI on event loops, one per core.",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {"HTTP/1.1 and HTTP/2 server for static files on N event loops (--loops, default one per processor;",
                "HTTPS and CGI on the same loops).",
                "HTTP/2 is offered by ALPN on HTTPS (--no-h2 turns it off), and by prior knowledge with --h2c.",
                "With no options it serves the bundled demo site on http://127.0.0.1:8080/ and https://127.0.0.1:8443/",
                "(a self-signed certificate made at start-up), with the demo CGI at /cgi/.",
                "HTTPS is opt-in: it runs only with --https or --key/--cert, or in that no-argument demo.",
                "Flags can be written down in a TOML file (--config; --print-config shows what is in effect), and",
                "--site serves several sites (virtual hosts) by Host, with --site-cert choosing the certificate (SNI).",
                "SIGHUP reloads --key/--cert and --site-cert, reopens the logs and re-reads --config (applying what",
                "can change while serving, naming what needs a restart); SIGUSR1 reopens the logs (logrotate);",
                "SIGINT/SIGTERM stop gracefully (exit 0): CGI scripts still running are stopped within the grace;",
                "with --admin, /healthz answers 503 first and the listeners serve on for --drain-delay."},
        footer = {"%nExamples:",
                "  liso serve",
                "  liso serve --root ./site --http 0.0.0.0:8080",
                "  liso serve --https :8443 --key key.pem --cert cert.pem --hsts 31536000",
                "  liso serve --root ./site --http [::]:80 --max-connections 10000",
                "  liso serve --root ./site --loops 2",
                "  liso serve --root ./site --cgi ./app.cgi --cgi-timeout 10",
                "  liso serve --root ./site --no-server-version",
                "  liso serve --config /etc/liso/liso.toml",
                "  liso serve --root ./site --max-body 1M --print-config > liso.toml",
                "  liso serve --site a.org=/srv/a --site www.a.org=/srv/a --site '*=/srv/d'",
                "  liso serve --https :8443 --site a.org=/srv/a --site-cert a.org=a.key,a.crt",
                "  liso serve --http :8081 --proxy-protocol --trusted-proxies 127.0.0.1",
                "  liso serve --root ./site --admin 127.0.0.1:9180 --drain-delay 5s",
                "  liso serve --root ./app --fallback /index.html --error-page 404=/404.html",
                "  liso serve --root ./site --cache-control '*.css=max-age=31536000, immutable'",
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
    AnswerFlags answerFlags;

    @Mixin
    TlsFlags tlsFlags;

    @Mixin
    CgiFlags cgiFlags;

    @Mixin
    FastCgiFlags fastCgiFlags;

    @Mixin
    LimitOptions limits;

    @Mixin
    Http2Flags http2Flags;

    @Mixin
    SendFlags sendFlags;

    @Mixin
    AdminFlags adminFlags;

    @Mixin
    LogOptions logOptions;

    @Mixin
    SiteFlags siteFlags;

    @Mixin
    ConfigFlags config;

    @Spec
    CommandSpec spec;

    @Mixin
    ProxyFlags proxyFlags;

    @Mixin
        LoopOptions loopOptions;

    /**
     * Everything the command line says is checked before anything is done: a usage error (2) or a bad configuration
     * (78) must not come after a certificate was made and announced, a demo unpacked or a log file created.
     */
    @Override
    public Integer call() throws Exception {
        if (config.file != null && config.source == null) {
            // The file's flags, then the command line's, parsed into a new command that runs instead of this one.
            ConfigFlags.Source source = ConfigFlags.Source.of(spec, config.file);
            ServeCommand merged = new ServeCommand();
            ConfigFlags.parse(merged, source);
            merged.config.source = source;
            return merged.call();
        }
        if (config.print) {
            System.out.print(ConfigPrinter.toml(spec, "liso serve: the effective configuration, from "
                    + (config.file != null ? config.file + " and " : "") + "the command line"));
            return ExitCodes.OK;
        }
        Map<String, List<String>> asGiven = ConfigPrinter.values(spec); // before the demo below fills in --cgi
        logOptions.apply();
        ServerRunner r = new ServerRunner();
        SiteTable sites = siteFlags.table(root);
        // The demo: the bundled site on its default address, which shows HTTPS and CGI too.
        boolean demo = root == null && http == null && sites.isEmpty();
        r.http = Addresses.parse(http != null ? http : DEFAULT_HTTP, "127.0.0.1");
        r.https = tlsFlags.address(demo);
        tlsFlags.checkApplies(r.https != null);
        ServerRunner.checkDistinct(r.http, r.https);
        r.admin = adminFlags.options(r.http, r.https);
        String server = serverHeader();
        r.config = limits.toConfig(true).withHsts(tlsFlags.hstsSeconds()).withExtraHeaders(extraHeaders())
                .withServerHeader(server);
        r.maxConnections = limits.maxConnections;
        r.send = sendFlags.toOptions();
        r.loops = loopOptions.resolve(true);
        r.shutdownGraceMillis = limits.shutdownGraceMillis();
        r.http2 = http2Flags.options(demo);
        r.siteOptions = answerFlags.toOptions();
        TlsFlags.Checked tls = r.https != null ? tlsFlags.check() : null;
        if (tls != null && r.http2.overTls()) {
            tls = tls.withAlpn(java.util.List.of("h2", "http/1.1")); // RFC 9113 §3.2; RFC 7301: preferred first
        }
        List<SiteFlags.SiteCert> siteCerts = siteFlags.certificates(sites, r.https != null);
        if (root != null && (!Files.isDirectory(root) || !Files.isReadable(root))) {
            throw new CliFailure(ExitCodes.CONFIG, "document root is not a readable directory: " + root);
        }
        cgiFlags.check();
        r.proxies = proxyFlags.options();
        ProxyFlags.Listeners proxied = proxyFlags.listeners(r.http != null, r.https != null);
        r.proxyHttp = proxied.http();
        r.proxyHttps = proxied.https();
        if (root != null) {
            AnswerFlags.checkPages(r.siteOptions, root);
        }
        fastCgiFlags.check();

        r.root = !sites.isEmpty() ? sites.fallback() : root != null ? root : DemoContent.site();
        r.sites = sites;
        r.fileOptions = fileOptions();
        if (root == null && sites.isEmpty() && cgiFlags.script == null) {
            // The demo site comes with the demo CGI at /cgi/, unpacked next to it (removed at exit with it).
            cgiFlags.script = DemoCgi.extractTo(r.root.getParent().resolve("cgi-bin"));
        }
        Path cgiRoot = r.root != null ? r.root : sites.roots().values().iterator().next();
        r.cgi = cgiFlags.handler(cgiRoot, server.isEmpty() ? Liso.NAME : server);
        r.fastcgi = fastCgiFlags.handler(cgiRoot, server.isEmpty() ? Liso.NAME : server, cgiFlags);
        ConfigReload<ServeCommand> reload = config.source == null ? null
                : new ConfigReload<>(config.source, ServeCommand::new, asGiven);
        if (reload != null) {
            Signals.onReload(reload); // before the certificate reloads, so that they read the new file names
            reloadInPlace(reload, r, sites);
        }
        if (tls != null) {
            TlsTransportFactory factory = tls.factory(r.announce);
            r.tls = factory;
            AtomicReference<List<SiteFlags.SiteCert>> certs = new AtomicReference<>(siteCerts);
            SiteFlags.serve(factory, certs::get);
            if (reload != null) {
                reload.on(Set.of("site-cert"), next -> certs.set(
                        next.siteFlags.certificates(next.siteFlags.table(next.root), true)));
            }
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

    private FileOptions fileOptions() {
        return FileOptions.DEFAULT.withListDirectories(listDirs).withListDirectoriesMax(listDirsMax)
                .withFollowSymlinksOutsideRoot(followSymlinks);
    }

    /** What SIGHUP changes while serving when there is a configuration file; the rest waits for a restart. */
    private static void reloadInPlace(ConfigReload<ServeCommand> reload, ServerRunner r, SiteTable sites) {
        // Before the sites: a SIGHUP that changes both builds the new sites with the new answers.
        reload.on(AnswerFlags.reloadKeys(), next -> {
            org.liso.files.SiteOptions answers = next.answerFlags.toOptions();
            if (sites.isEmpty()) { // as at the start: with virtual hosts a page may be in some sites only
                AnswerFlags.checkPages(answers, r.root);
            }
            r.useAnswers(next.fileOptions(), answers);
        });
        reload.on(Set.of("quiet", "verbose"), next -> next.logOptions.apply());
        reload.on(Set.of("access-log"), next -> moveLog("access", r.accessLog,
                next.accessLog == null || next.accessLog.equals("-") ? null : Path.of(next.accessLog)));
        reload.on(Set.of("error-log"), next -> moveLog("error", r.errorLog, next.errorLog));
        reload.on(Set.of("header", "server-header", "no-server-version", "hsts"), next -> r.server.useResponseFields(
                next.serverHeader(), next.extraHeaders(), next.tlsFlags.hstsSeconds()));
        if (!sites.isEmpty()) {
            reload.on(Set.of("site", "root"), next -> {
                SiteTable table = next.siteFlags.table(next.root);
                if (table.isEmpty()) {
                    throw new CliFailure(ExitCodes.USAGE, "serving without --site takes a restart");
                }
                r.virtualHosts.use(table);
            });
        }
    }

    /** SIGHUP: a log file moves to the file the configuration now names; none, stdout or stderr take a restart. */
    private static void moveLog(String which, LogWriter log, Path file) {
        if (log == null || !log.isFile() || file == null) {
            throw new CliFailure(ExitCodes.USAGE, "switching the " + which
                    + " log between none, a standard stream and a file takes a restart");
        }
        try {
            log.moveTo(file);
        } catch (IOException e) {
            throw new CliFailure(ExitCodes.CONFIG, "cannot open " + which + " log " + file + ": " + e.getMessage());
        }
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
