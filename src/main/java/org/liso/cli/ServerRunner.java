package org.liso.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.liso.Log;
import org.liso.LogWriter;
import org.liso.admin.AdminHandler;
import org.liso.admin.AdminOptions;
import org.liso.admin.Drain;
import org.liso.admin.Health;
import org.liso.cgi.CgiHandler;
import org.liso.fastcgi.FastCgiHandler;
import org.liso.diag.Addresses;
import org.liso.files.FileHandler;
import org.liso.files.FileOptions;
import org.liso.files.SiteOptions;
import org.liso.loop.ConnectionBudget;
import org.liso.server.AccessLog;
import org.liso.server.HttpServer;
import org.liso.server.ProxyOptions;
import org.liso.server.SendOptions;
import org.liso.server.ServerConfig;
import org.liso.server.ServerLoops;
import org.liso.transport.TransportFactory;

/**
 * Builds and runs one HTTP server (serve and lisod share it): handlers, listeners on {@link #loops} event loops,
 * signals, logs, and the lines that tell the user where it listens.
 *
 * <p>Shutdown (SIGINT/SIGTERM): {@code /healthz} turns 503; after {@code --drain-delay} (default 0) the listeners
 * close; responses in flight get the grace period
 * ({@code --shutdown-grace}); CGI scripts get that less {@link #CGI_STOP_MARGIN_MILLIS} (at most half of it), then
 * SIGTERM and SIGKILL, so their clients still get a 503 inside the grace period; what is left when it ends is closed, its files and processes released; the logs are
 * flushed and closed last.
 */
final class ServerRunner {
    static final long DEFAULT_SHUTDOWN_GRACE_MILLIS = 5_000;
    /** Time kept back from the grace period to stop CGI scripts and send their clients a 503. */
    static final long CGI_STOP_MARGIN_MILLIS = 1_000;

    /** The document root, or null when --site names every site and no default (an unknown host gets 421). */
    Path root;
    /** The virtual hosts, or empty: {@link #root} serves every host. */
    SiteTable sites = new SiteTable(java.util.Map.of());
    /** Listings and symlinks; replaced with {@link #siteOptions} by {@link #useAnswers} while serving. */
    volatile FileOptions fileOptions = FileOptions.DEFAULT;
    /** Compression, caching fields, error pages: none unless the command sets them (lisod does not). */
    volatile SiteOptions siteOptions = SiteOptions.NONE;
    InetSocketAddress http;
    InetSocketAddress https;
    TransportFactory tls;
    CgiHandler cgi;
    /** The {@code --fastcgi} routes' handler, or null for none. */
    FastCgiHandler fastcgi;
    /** The access log, or null for none. */
    LogWriter accessLog;
    /** The error log when it is a writer of its own (closed at the end), or null for Log's current sink. */
    LogWriter errorLog;
    ServerConfig config = ServerConfig.DEFAULT;
    /** HTTP/2: off unless the command turns it on (serve does by default; lisod never). */
    org.liso.server.Http2Options http2 = org.liso.server.Http2Options.OFF;
    /** Whose word on client addresses is taken; which listeners read a PROXY protocol header. */
    ProxyOptions proxies = ProxyOptions.NONE;
    boolean proxyHttp;
    boolean proxyHttps;
    SendOptions send = SendOptions.DEFAULT;
    long shutdownGraceMillis = DEFAULT_SHUTDOWN_GRACE_MILLIS;
    int maxConnections = ConnectionBudget.DEFAULT_MAX;
    int backlog = 1024;
    /** The admin listener (off by default) and the drain delay. */
    AdminOptions admin = AdminOptions.OFF;
    /** Event loops (threads), {@code --loops}. */
    LoopOptions.Loops loops = LoopOptions.Loops.ONE;
    /** Receives one line per listener ("liso serve: http://127.0.0.1:8080/"), after every bind succeeded. */
    Consumer<String> announce = line -> {
        System.out.println(line);
        System.out.flush();
    };
    Runnable onReady = () -> { };
    /** False where the caller owns the logs and still has to say something in them after {@link #run} (lisod). */
    boolean closeLogsAtEnd = true;
    /** Set once serving, for what SIGHUP changes in place (sites, response fields). */
    volatile ServerLoops server;
    volatile VirtualHosts virtualHosts;
    /** The one site's chain when there are no virtual hosts, or null. */
    volatile ReplaceableHandler rootHandler;

    int run() throws IOException {
        try {
            return serve();
        } finally {
            if (closeLogsAtEnd) {
                closeLogs();
            }
        }
    }

    private int serve() throws IOException {
        checkDistinct(http, https);
        org.liso.diag.BindDoctor.prepare();
        org.liso.server.spi.Handler handler;
        if (sites.isEmpty()) {
            rootHandler = new ReplaceableHandler(siteHandler(root));
            handler = rootHandler;
        } else {
            virtualHosts = new VirtualHosts(sites, this::siteHandler);
            handler = virtualHosts;
        }
        ServerLoops server = new ServerLoops(loops.count(), "http", config, handler, accessLog,
                new ConnectionBudget(maxConnections), loops.accepting(), proxies);
        this.server = server;
        server.useErrorPages(this::errorPage);
        server.http2(http2);
        server.send(send);
        List<String> lines = new ArrayList<>();
        if (http != null) {
            InetSocketAddress a = server.listen(http, TransportFactory.PLAIN, backlog, proxyHttp);
            lines.add("liso serve: http://" + Addresses.format(a) + "/");
        }
        if (https != null && tls != null) {
            InetSocketAddress a = server.listen(https, tls, backlog, proxyHttps);
            lines.add("liso serve: https://" + Addresses.format(a) + "/");
        }
        Health health = new Health();
        if (admin.address() != null) {
            AdminHandler adminHandler = new AdminHandler(server.servers(), health, cgi == null ? null : cgi::counts);
            HttpServer adminServer = new HttpServer(server.loops().get(0), config, adminHandler, AccessLog.NONE,
                    new ConnectionBudget(AdminOptions.MAX_CONNECTIONS));
            lines.add("liso serve: admin http://" + Addresses.format(adminServer.listen(admin.address(),
                    TransportFactory.PLAIN, AdminOptions.MAX_CONNECTIONS)) + "/");
        }
        if (cgi != null) {
            long margin = Math.min(CGI_STOP_MARGIN_MILLIS, shutdownGraceMillis / 2);
            server.onShutdown(() -> cgi.shutdown(shutdownGraceMillis - margin));
        }
        Signals.onTerminate(new Drain(health, admin.drainDelayMillis(), server.loops().get(0), server::drain,
                () -> server.shutdown(shutdownGraceMillis))::begin);
        Signals.onReopenLogs(this::reopenLogs);
        Signals.installReloadHandlers();
        lines.forEach(announce);
        Log.info("serve", "serving", "root", root == null ? "none" : root, "sites", sites.roots().size(),
                "listeners", lines.size(), "max_connections", maxConnections, "loops", loops.count(), "accepting",
                server.accepting() == null ? "one loop" : server.accepting().name().toLowerCase(java.util.Locale.ROOT));
        if (!proxies.trusted().isEmpty()) {
            Log.info("serve", "client addresses from proxies", "proxy_protocol", proxyHttp && proxyHttps ? "all"
                    : proxyHttp ? "http" : proxyHttps ? "https" : "none", "forwarded_headers",
                    proxies.forwardedHeaders(), "trusted", proxies.trusted());
        }
        onReady.run();
        try {
            server.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (cgi != null) {
                cgi.close();
            }
        }
        Log.info("serve", "stopped");
        return ExitCodes.OK;
    }

    /**
     * Serves every site with these file and site options from the next request on (SIGHUP). Every new chain is built
     * before any is used, so a failure leaves the current options and chains in place.
     *
     * @throws CliFailure when a site's chain cannot be built
     */
    synchronized void useAnswers(FileOptions files, SiteOptions site) {
        FileOptions oldFiles = fileOptions;
        SiteOptions oldSite = siteOptions;
        fileOptions = files;
        siteOptions = site;
        try {
            if (virtualHosts != null) {
                virtualHosts.use(virtualHosts.table());
            } else if (rootHandler != null) {
                rootHandler.use(siteHandler(root));
            }
        } catch (CliFailure e) {
            fileOptions = oldFiles;
            siteOptions = oldSite;
            throw e;
        }
    }

    /**
     * The operator's page for an error the server answers itself: the page of the site the request is for (the
     * default site's when the head did not parse), as that site's file handler answers its own errors.
     */
    private org.liso.server.spi.Response errorPage(org.liso.http.Request request, int status) {
        org.liso.server.spi.Handler chain = virtualHosts != null ? virtualHosts.handlerFor(request)
                : rootHandler != null ? rootHandler.current() : null;
        return chain instanceof Router router && router.files() instanceof FileHandler files
                ? files.errorPage(status) : null;
    }

    /** One site's chain: its files, and the CGI script under /cgi/. */
    private org.liso.server.spi.Handler siteHandler(Path siteRoot) {
        try {
            return new Router(new FileHandler(siteRoot, fileOptions, siteOptions),
                    cgi == null ? null : cgi.forRoot(siteRoot), fastcgi == null ? null : fastcgi.forRoot(siteRoot));
        } catch (IllegalArgumentException e) {
            throw new CliFailure(ExitCodes.CONFIG, e.getMessage());
        }
    }

    /** A usage error when HTTP and HTTPS would take one port (either may be null: off). */
    static void checkDistinct(InetSocketAddress http, InetSocketAddress https) {
        if (http != null && https != null && overlap(http, https)) {
            throw new CliFailure(ExitCodes.USAGE, "HTTP and HTTPS cannot share " + Addresses.format(https)
                    + ": give each its own port");
        }
    }

    /**
     * Two listeners cannot share a port on one address, nor when either is a wildcard (on Linux 0.0.0.0:P and [::]:P
     * take P on every address). Port 0 asks the kernel for a free one each, so it never clashes.
     */
    static boolean overlap(InetSocketAddress a, InetSocketAddress b) {
        if (a.getPort() == 0 || a.getPort() != b.getPort()) {
            return false;
        }
        return a.getAddress() == null || b.getAddress() == null || a.getAddress().equals(b.getAddress())
                || a.getAddress().isAnyLocalAddress() || b.getAddress().isAnyLocalAddress();
    }

    private void reopenLogs() {
        if (accessLog != null) {
            accessLog.reopen();
        }
        if (errorLog != null && errorLog != accessLog) {
            errorLog.reopen();
        }
    }

    void closeLogs() {
        if (Log.sink() == errorLog || Log.sink() == accessLog) {
            Log.setSink(new Log.StreamSink(System.err)); // whatever is said after this is said synchronously
        }
        if (accessLog != null) {
            accessLog.close();
        }
        if (errorLog != null) {
            errorLog.close();
        }
    }
}
