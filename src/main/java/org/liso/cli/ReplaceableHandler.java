package org.liso.cli;

import org.liso.http.HttpException;
import org.liso.server.spi.Exchange;
import org.liso.server.spi.Handler;

/**
 * The one site's handler chain when there are no virtual hosts, replaceable while serving (SIGHUP with a
 * configuration file changes its file options). A request already handed on keeps the chain it got; the next one
 * finds the new chain. {@link VirtualHosts} does the same for several sites.
 */
final class ReplaceableHandler implements Handler {
    private volatile Handler current;

    ReplaceableHandler(Handler first) {
        this.current = first;
    }

    Handler current() {
        return current;
    }

    void use(Handler next) {
        current = next;
    }

    @Override
    public void handle(Exchange exchange) throws HttpException {
        current.handle(exchange);
    }
}
