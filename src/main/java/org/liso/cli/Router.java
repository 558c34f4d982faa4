package org.liso.cli;

import org.liso.fastcgi.FastCgiHandler;
import org.liso.http.HttpException;
import org.liso.server.spi.Exchange;
import org.liso.server.spi.Handler;

/**
 * {@code /cgi} and everything under {@code /cgi/} go to the CGI handler, then the {@code --fastcgi} routes to their
 * applications, the rest to the files.
 */
final class Router implements Handler {
    private final Handler files;
    private final Handler cgi;
    private final FastCgiHandler fastcgi;

    Router(Handler files, Handler cgi) {
        this(files, cgi, null);
    }

    Router(Handler files, Handler cgi, FastCgiHandler fastcgi) {
        this.files = files;
        this.cgi = cgi;
        this.fastcgi = fastcgi;
    }

    /** The files' handler: where the site's error pages come from. */
    Handler files() {
        return files;
    }

    static boolean isCgiPath(String path) {
        return path.equals("/cgi") || path.startsWith("/cgi/") || path.startsWith("/cgi?");
    }

    @Override
    public void handle(Exchange exchange) throws HttpException {
        if (cgi != null && isCgiPath(exchange.request().path())) {
            cgi.handle(exchange);
        } else if (fastcgi != null && fastcgi.matches(exchange.request().path())) {
            fastcgi.handle(exchange);
        } else {
            files.handle(exchange);
        }
    }
}
