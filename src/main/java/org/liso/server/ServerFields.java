package org.liso.server;

import java.util.List;
import org.liso.ThrottledWarning;
import org.liso.http.Headers;
import org.liso.http.HttpDate;
import org.liso.http.Request;
import org.liso.http.ResponseHead;
import org.liso.server.spi.ErrorPageSource;
import org.liso.server.spi.Response;

/**
 * The response fields the server owns, whatever the protocol: Date (RFC 9110 §6.6.1), Server (§10.2.4), HSTS on
 * secure connections (RFC 6797) and the operator's extra fields. A handler's own Date, Server, Connection,
 * Transfer-Encoding and Content-Length are removed first, as the server frames the message; a stream body's
 * declared Content-Length is handed back for the protocol's sender to enforce. The answers the server makes itself
 * are the operator's pages where there are some ({@link ErrorPageSource}), else the built-in ones.
 */
final class ServerFields {
    private static final String[] OWNED = {"Date", "Server", "Connection", "Transfer-Encoding", "Content-Length"};

    private final String hsts;
    private final List<String[]> extra;
    private final String server;
    private final ErrorPageSource pages;
    /** The Date value {@link #encoded} was made with; both touched by the owning loop only. */
    private String encodedDate;
    private byte[] encoded;
    private final HeadCache heads = new HeadCache();
    private static final byte[] NO_LINES = new byte[0];
    private static final ThrottledWarning BAD_PAGE = new ThrottledWarning("http",
            "the operator's error page failed, answered the built-in one", ThrottledWarning.INTERVAL_MILLIS);

    /**
     * @param secure the connection is over TLS: it sends HSTS when {@code --hsts} asks for it
     * @param pages  the operator's pages for the errors the server answers itself
     */
    ServerFields(boolean secure, ServerConfig config, ErrorPageSource pages) {
        this.pages = pages;
        this.hsts = secure && config.hstsSeconds() > 0 ? "max-age=" + config.hstsSeconds() : null;
        this.extra = config.extraHeaders();
        this.server = config.serverHeader().isEmpty() ? null : config.serverHeader();
    }

    /**
     * The answer to an error the server makes itself: the operator's page, with the fields its status requires
     * (RFC 9110 §15.5.6 Allow on a 405; Retry-After on a 503, as the built-in page has), or the built-in page.
     *
     * @param request null when the head could not be parsed
     */
    Response error(Request request, int status, String detail) {
        Response page = null;
        try {
            page = pages.page(request, status);
        } catch (RuntimeException e) {
            BAD_PAGE.warn("status", status, "error", String.valueOf(e));
        }
        if (page == null) {
            return ErrorPages.of(status, detail);
        }
        ErrorPages.addRequiredFields(status, page.headers());
        return page;
    }

    /**
     * Replaces the server-owned fields of {@code h} with the server's.
     *
     * @return the handler's Content-Length value (a stream body may declare one), or null
     */
    String apply(Headers h) {
        String declared = strip(h);
        addTo(h, HttpDate.now());
        return declared;
    }

    /**
     * The server's fields for a head whose own fields are {@code h} (already {@linkplain #strip stripped}), as
     * encoded field lines: the same octets for every response within a second, so a head copies them instead of
     * re-encoding Date, Server and the operator's fields each time. Where the handler set one of the operator's
     * extra fields itself (its value wins), the server's are added to {@code h} instead and no lines are answered.
     *
     * @throws IllegalArgumentException when a field holds a control character (the head is refused, as a field
     *                                  added to {@code h} would be)
     */
    byte[] encodedFor(Headers h) {
        for (int i = 0; i < extra.size(); i++) {
            if (h.contains(extra.get(i)[0])) {
                addTo(h, HttpDate.now());
                return NO_LINES;
            }
        }
        return lines();
    }

    /**
     * The server's field lines of the current second, for a head without fields of the operator's set by the
     * handler: a new array each second (and for each configuration), the same one within it.
     */
    byte[] lines() {
        String date = HttpDate.now();
        if (date != encodedDate) { // HttpDate hands out one String per second: a new one is a new second
            Headers mine = new Headers();
            addTo(mine, date);
            encoded = ResponseHead.fieldLines(mine);
            encodedDate = date;
        }
        return encoded;
    }

    /** The heads this loop's HTTP/1.1 responses keep for sending again, made with these fields' lines. */
    HeadCache heads() {
        return heads;
    }

    private void addTo(Headers h, String date) {
        h.add("Date", date);
        if (server != null) {
            h.add("Server", server);
        }
        if (hsts != null) {
            h.add("Strict-Transport-Security", hsts);
        }
        for (int i = 0; i < extra.size(); i++) {
            String[] f = extra.get(i);
            if (!h.contains(f[0])) {
                h.add(f[0], f[1]); // a handler's own value (a CGI script's CSP, say) wins
            }
        }
    }

    /**
     * Removes the server-owned fields of {@code h} in one pass, for {@link #apply} or {@link #encodedFor} to put the
     * server's in; the lengths are compared first so the usual handler fields cost no string comparison.
     *
     * @return the handler's Content-Length value (a stream body may declare one), or null
     */
    static String strip(Headers h) {
        boolean any = false;
        for (int i = 0; i < h.size() && !any; i++) {
            any = owned(h.name(i));
        }
        if (!any) {
            return null;
        }
        String declared = h.get("Content-Length");
        for (String name : OWNED) {
            h.remove(name);
        }
        return declared;
    }

    private static boolean owned(String name) {
        return switch (name.length()) {
            case 4 -> name.equalsIgnoreCase("Date");
            case 6 -> name.equalsIgnoreCase("Server");
            case 10 -> name.equalsIgnoreCase("Connection");
            case 14 -> name.equalsIgnoreCase("Content-Length");
            case 17 -> name.equalsIgnoreCase("Transfer-Encoding");
            default -> false;
        };
    }

    /** A declared Content-Length as a number, or -1 when it is not one (RFC 9110 §8.6: 1*DIGIT). */
    static long parseLength(String v) {
        if (v == null) {
            return -1;
        }
        String t = v.trim();
        if (t.isEmpty() || t.length() > 18) {
            return -1;
        }
        for (int i = 0; i < t.length(); i++) {
            if (t.charAt(i) < '0' || t.charAt(i) > '9') {
                return -1;
            }
        }
        return Long.parseLong(t);
    }
}
