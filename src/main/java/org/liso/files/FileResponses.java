package org.liso.files;

import org.liso.http.ByteRange;
import org.liso.http.Headers;
import org.liso.http.HttpException;
import org.liso.http.Method;
import org.liso.http.Request;
import org.liso.server.spi.Body;
import org.liso.server.spi.Response;

/**
 * The responses a static file produces: 200, 206, 304, 406 and 412 (thrown), 416, and the 301 and 405 around them.
 */
final class FileResponses {
    static final String ALLOW = "GET, HEAD";

    private FileResponses() {
    }

    /**
     * GET or HEAD of a regular file: preconditions first (RFC 9110 §13.2.2), then Range (§14.2), then the file.
     * {@code method} is the one the request is answered as (a POST answered with the file is a GET here).
     */
    static Response file(Request request, Method method, FileMeta meta, FileContent content) throws HttpException {
        return file(request, method, meta, content, null, null);
    }

    /**
     * The same for one representation of a file: {@code coding} is its Content-Encoding (null for identity) and
     * {@code set} (null for none) adds Vary, Cache-Control and Expires. Validators and ranges are the variant's own,
     * so a conditional or range request works on what it was sent (RFC 9110 §8.8.3, §14.1.2).
     */
    static Response file(Request request, Method method, FileMeta meta, FileContent content, String coding,
            Variants.Set set) throws HttpException {
        Headers in = request.headers();
        if (mayBeConditional(in)) {
            switch (Preconditions.evaluate(method, in, meta)) {
                case NOT_MODIFIED -> {
                    Headers h = new Headers();
                    h.add("ETag", meta.etag());
                    h.add("Last-Modified", meta.lastModified());
                    negotiation(h, set); // §15.4.5: a 304 carries the Cache-Control, Expires and Vary a 200 would
                    return new Response(304, h, Body.empty());
                }
                case FAILED -> throw new HttpException(412, "precondition failed");
                case PROCEED -> {
                    // fall through to the representation
                }
            }
            // §14.2: Range is defined for GET only; other methods ignore it.
            String range = in.get("Range");
            if (range != null && method == Method.GET && Preconditions.rangeApplies(in, meta)) {
                ByteRange r = ByteRange.parse(range, meta.size());
                if (r != null) {
                    return r.satisfiable() ? partial(meta, content, r, coding, set) : unsatisfiable(meta, set);
                }
            }
        }
        Headers h = representation(meta, coding, set);
        return new Response(200, h, content.all());
    }

    /** 301 to the directory's slash form; the query comes along unchanged. */
    static Response redirect(String location, String query) {
        String target = query == null ? location : location + "?" + query;
        Headers h = new Headers();
        h.add("Location", target);
        h.add("Content-Type", "text/html; charset=utf-8");
        String body = "<!DOCTYPE html>\n<html><body><a href=\"" + DirectoryListing.escape(target)
                + "\">Moved here</a></body></html>\n";
        return new Response(301, h, Body.text(body));
    }

    /** 405 with the methods a static file supports (RFC 9110 §15.5.6 requires Allow). */
    static Response methodNotAllowed(String method) {
        Headers h = new Headers();
        h.add("Allow", ALLOW);
        h.add("Content-Type", "text/plain; charset=utf-8");
        String text = "405 Method Not Allowed: " + method + " is not served here; a static file answers " + ALLOW;
        return new Response(405, h, Body.text(text + "\n"));
    }

    private static Response partial(FileMeta meta, FileContent content, ByteRange r, String coding,
            Variants.Set set) throws HttpException {
        Headers h = representation(meta, coding, set);
        h.add("Content-Range", "bytes " + r.first() + "-" + r.last() + "/" + meta.size());
        return new Response(206, h, content.range(r.first(), r.length()));
    }

    /** 416 names the current length so that the client can ask again (§15.5.17). */
    private static Response unsatisfiable(FileMeta meta, Variants.Set set) {
        Headers h = new Headers();
        negotiation(h, set);
        h.add("Content-Range", "bytes */" + meta.size());
        h.add("Accept-Ranges", "bytes");
        h.add("Content-Type", "text/plain; charset=utf-8");
        return new Response(416, h, Body.text("416 Range Not Satisfiable\n"));
    }

    private static Headers representation(FileMeta meta, String coding, Variants.Set set) {
        Headers h = new Headers();
        h.add("Content-Type", meta.contentType());
        if (coding != null) {
            h.add("Content-Encoding", coding);
        }
        h.add("Last-Modified", meta.lastModified());
        h.add("ETag", meta.etag());
        h.add("Accept-Ranges", "bytes");
        negotiation(h, set);
        return h;
    }

    /** Vary on every representation of a file that has another (§12.5.5), and the operator's caching rule. */
    private static void negotiation(Headers h, Variants.Set set) {
        if (set == null) {
            return;
        }
        if (set.negotiable()) {
            h.add("Vary", "Accept-Encoding");
        }
        CacheRules.Rule rule = set.rule;
        if (rule != null) {
            h.add("Cache-Control", rule.cacheControl);
            if (rule.expiresSeconds >= 0) {
                h.add("Expires", rule.expires());
            }
        }
    }

    /** One pass over the fields: most requests carry no If-* and no Range, and skip all the parsing. */
    private static boolean mayBeConditional(Headers in) {
        for (int i = 0, n = in.size(); i < n; i++) {
            String name = in.name(i);
            if (name.length() >= 3 && name.regionMatches(true, 0, "If-", 0, 3) || name.equalsIgnoreCase("Range")) {
                return true;
            }
        }
        return false;
    }
}
