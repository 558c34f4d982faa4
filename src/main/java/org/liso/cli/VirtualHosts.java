package org.liso.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.liso.http.HttpException;
import org.liso.server.spi.Exchange;
import org.liso.server.spi.Handler;

/**
 * Hands each request to the site its host names ({@link SiteTable}): the Host field, or the authority of an
 * absolute-form target or of HTTP/2's {@code :authority}, which {@code Request.authority()} gives either way. A host
 * no site has, with no default site, is answered 421.
 *
 * <p>The sites can be replaced while serving (SIGHUP with a configuration file): a request already handed on keeps
 * its handler, the next one finds the new table. Replacing builds every new handler first, so a bad root leaves the
 * old table in place.
 */
final class VirtualHosts implements Handler {
    private record Active(SiteTable table, Map<String, Handler> handlers) {
    }

    private final Function<Path, Handler> siteHandler;
    private volatile Active active;

    /**
     * @param siteHandler the handler chain of one site for its document root (files, CGI)
     * @throws CliFailure config (78) when a site's handler cannot be made
     */
    VirtualHosts(SiteTable table, Function<Path, Handler> siteHandler) {
        this.siteHandler = siteHandler;
        this.active = build(table);
    }

    /** Serves {@code table} from the next request on; a failure leaves the current table in place. */
    void use(SiteTable table) {
        active = build(table);
    }

    SiteTable table() {
        return active.table();
    }

    private Active build(SiteTable table) {
        Map<String, Handler> handlers = new LinkedHashMap<>();
        table.roots().forEach((name, root) -> {
            try {
                handlers.put(name, siteHandler.apply(root));
            } catch (IllegalArgumentException e) {
                throw new CliFailure(ExitCodes.CONFIG, "--site " + name + ": " + e.getMessage());
            }
        });
        return new Active(table, Map.copyOf(handlers));
    }

    /**
     * The chain of the site {@code request} is for; without a request (a head that did not parse) the default
     * site's; null when no site serves it.
     */
    Handler handlerFor(org.liso.http.Request request) {
        Active a = active;
        String site = request == null ? (a.table().fallback() != null ? SiteTable.DEFAULT : null)
                : a.table().siteFor(SiteTable.hostOf(request.authority()));
        return site == null ? null : a.handlers().get(site);
    }

    @Override
    public void handle(Exchange exchange) throws HttpException {
        Handler site = handlerFor(exchange.request());
        if (site == null) {
            throw new HttpException(421, "no site is configured for host '"
                    + SiteTable.hostOf(exchange.request().authority()) + "'");
        }
        site.handle(exchange);
    }
}
