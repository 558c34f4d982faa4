package org.liso.admin;

import java.util.List;
import java.util.function.Supplier;
import org.liso.cgi.CgiCounts;
import org.liso.http.HttpException;
import org.liso.http.Method;
import org.liso.http.Request;
import org.liso.server.HttpServer;
import org.liso.server.spi.Body;
import org.liso.server.spi.Exchange;
import org.liso.server.spi.Handler;
import org.liso.server.spi.Response;

/**
 * The admin listener's only handler: {@code GET /healthz} (200 serving, 503 draining) and {@code GET /metrics}
 * (Prometheus text, version 0.0.4). It is served by an {@link HttpServer} of its own, never mounted on a public
 * listener, so neither path is reachable from the clients the server serves.
 */
public final class AdminHandler implements Handler {
    /** The Prometheus text exposition format's media type. */
    static final String METRICS_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final List<HttpServer> servers;
    private final Health health;
    private final Supplier<CgiCounts> cgi;

    /**
     * @param servers the public servers, one per loop, whose counters a scrape sums
     * @param cgi     the CGI counters, or null when there is no CGI
     */
    public AdminHandler(List<HttpServer> servers, Health health, Supplier<CgiCounts> cgi) {
        this.servers = List.copyOf(servers);
        this.health = health;
        this.cgi = cgi;
    }

    @Override
    public void handle(Exchange exchange) throws HttpException {
        Request r = exchange.request();
        String path = r.path();
        if (!path.equals("/healthz") && !path.equals("/metrics")) {
            throw new HttpException(404, "the admin listener serves /healthz and /metrics only");
        }
        if (r.method() != Method.GET && r.method() != Method.HEAD) {
            throw new HttpException(405, path + " answers GET and HEAD");
        }
        if (path.equals("/healthz")) {
            boolean draining = health.draining();
            exchange.respond(noStore(Response.of(draining ? 503 : 200, "text/plain; charset=utf-8",
                    Body.text(draining ? "draining\n" : "ok\n"))));
        } else {
            new Scrape(servers, exchange.loop(), snapshots -> exchange.respond(noStore(Response.of(200,
                    METRICS_TYPE, Body.text(MetricsText.render(snapshots, cgi == null ? null : cgi.get(),
                            ProcessGauges.now(), health.draining())))))).start();
        }
    }

    private static Response noStore(Response r) {
        r.headers().add("Cache-Control", "no-store");
        return r;
    }
}
