package org.liso.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongSupplier;
import org.liso.Log;
import org.liso.ThrottledWarning;
import org.liso.http.AcceptEncoding;
import org.liso.http.ContentCoding;
import org.liso.http.Headers;
import org.liso.http.HttpException;
import org.liso.http.Method;
import org.liso.http.Request;
import org.liso.server.spi.Body;
import org.liso.server.spi.Exchange;
import org.liso.server.spi.Handler;
import org.liso.server.spi.Response;

/**
 * Serves the files under a document root: GET and HEAD, with index.html, optional listings, validators, conditional
 * requests and single byte ranges. Small files come from an in-memory cache that is revalidated at most once a
 * second; others are sent as file regions without being read into memory. The server adds Date, Server, framing and
 * Connection, and leaves out the body for HEAD. A POST is a 405, or, where the options say so (lisod), answered as a
 * GET while the server reads and discards its body. {@link SiteOptions} add content negotiation on Accept-Encoding
 * ({@link Variants}), caching fields, the operator's error pages and a fallback page for client-side routes.
 */
public final class FileHandler implements Handler {
    private final Path root;
    private final FileLookup lookup;
    private final SmallFileCache cache;
    private final MimeTypes types;
    private final boolean postServesFile;
    private final int listingMax;
    private final SiteOptions site;
    /** Null when nothing of {@link SiteOptions} changes a file's answer: the plain path, as before any of it. */
    private final Variants variants;
    private final ThrottledWarning badErrorPage = new ThrottledWarning("files",
            "error page cannot be served, answering the built-in one", ThrottledWarning.INTERVAL_MILLIS);

    /**
     * @throws IllegalArgumentException when {@code root} is not a readable directory
     */
    public FileHandler(Path root, FileOptions options) {
        this(root, options, SiteOptions.NONE);
    }

    /** With compression, caching fields, error pages and a fallback as {@code site} says. */
    public FileHandler(Path root, FileOptions options, SiteOptions site) {
        this(root, options, site, () -> System.nanoTime() / 1_000_000L);
    }

    FileHandler(Path root, FileOptions options, LongSupplier clock) {
        this(root, options, SiteOptions.NONE, clock);
    }

    /** {@code clock} gives monotonic milliseconds; it paces the caches' revalidation. */
    FileHandler(Path root, FileOptions options, SiteOptions site, LongSupplier clock) {
        if (!Files.isDirectory(root) || !Files.isReadable(root)) {
            throw new IllegalArgumentException("document root is not a readable directory: " + root);
        }
        try {
            this.root = root.toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException("document root cannot be resolved: " + root + ": " + e.getMessage(), e);
        }
        this.types = options.contentTypes();
        this.postServesFile = options.postServesFile();
        this.listingMax = options.listDirectoriesMax();
        this.lookup = new FileLookup(this.root, options.followSymlinksOutsideRoot(), options.listDirectories());
        this.cache = options.cacheEnabled()
                ? new SmallFileCache(options.cacheMaxBytes(), options.cacheMaxFileBytes(), clock, this::unchanged)
                : null;
        this.site = site;
        this.variants = site.plain() ? null : new Variants(this.root, site.compression(), site.caching(), clock);
    }

    /** The real path of the document root. */
    public Path root() {
        return root;
    }

    @Override
    public void handle(Exchange exchange) throws HttpException {
        Request request = exchange.request();
        Method method = served(request.method());
        String rawPath = request.path();
        if (method != null && cache != null) {
            SmallFileCache.Entry hit = cache.get(rawPath);
            if (hit != null && variants == null) {
                exchange.respond(FileResponses.file(request, method, hit.meta, FileContent.of(hit)));
                return;
            }
            Variants.Set set = hit == null ? null : variants.known(hit.meta);
            if (set != null) {
                exchange.respond(negotiate(request, method, hit.meta, FileContent.of(hit), set));
                return;
            }
        }
        try {
            String key = rawPath;
            FileLookup.Found found;
            try {
                found = lookup.find(PathResolver.parse(rawPath));
            } catch (HttpException e) {
                if (e.status() != 404 || method == null || !fallsBack(rawPath)) {
                    throw e;
                }
                key = site.fallback();
                found = lookup.find(PathResolver.parse(key));
            }
            if (method == null) {
                Response page = errorPage(405);
                exchange.respond(page != null ? page : FileResponses.methodNotAllowed(request.methodName()));
                return;
            }
            exchange.respond(respond(request, method, key, found));
        } catch (HttpException e) {
            Response page = errorPage(e.status());
            if (page == null) {
                throw e;
            }
            exchange.respond(page);
        }
    }

    /**
     * The SPA fallback takes a missing path whose last segment has no extension ({@code /users/42}); a missing asset
     * ({@code /app.js}) stays a 404, so a broken link to one does not come back as HTML.
     */
    private boolean fallsBack(String rawPath) {
        return site.fallback() != null && rawPath.indexOf('.', rawPath.lastIndexOf('/') + 1) < 0;
    }

    /**
     * The operator's page for {@code status}, sent with that status (no validators: an error is not a representation
     * to revalidate), or null for the built-in one, also when the page itself cannot be had. The server asks for it
     * too, for the errors it answers itself (a malformed request, a failed script).
     */
    public Response errorPage(int status) {
        String page = site.errorPages().get(status);
        if (page == null) {
            return null;
        }
        try {
            if (!(lookup.find(PathResolver.parse(page)) instanceof FileLookup.RegularFile f)) {
                throw new HttpException(404, "not a file");
            }
            FileMeta meta = FileMeta.of(f.path(), f.attrs(), types);
            SmallFileCache.Entry hit = cache == null ? null : cache.get(page);
            Response r = Response.of(status, meta.contentType(),
                    hit != null ? hit.body : FileContent.of(f.path(), meta.size()).all());
            if (status == 405) {
                r.headers().add("Allow", FileResponses.ALLOW);
            }
            return r;
        } catch (HttpException e) {
            badErrorPage.warn("status", status, "page", page, "error", e.getMessage());
            return null;
        }
    }

    /**
     * Content negotiation on Accept-Encoding among a file's representations (RFC 9110 §12.5.3). A Range request
     * gets identity or a precompressed sibling, never an on-the-fly coding (its bytes would not be the ones a later
     * range of the same tag addresses in every server of a fleet, and compressing a whole file for a slice wastes it).
     */
    private Response negotiate(Request request, Method method, FileMeta meta, FileContent content, Variants.Set set)
            throws HttpException {
        Headers in = request.headers();
        int available = set.siblingBits;
        boolean ranged = method == Method.GET && in.contains("Range");
        if (set.gzipEligible && !ranged) {
            available |= ContentCoding.GZIP.bit;
        }
        String accept = acceptEncoding(in);
        int choice = AcceptEncoding.choose(accept, available);
        if (choice == AcceptEncoding.NONE) {
            throw new HttpException(406, "no acceptable content coding");
        }
        Variants.Variant v = null;
        if (choice >= 0) {
            v = set.siblings[choice];
            if (v == null) {
                v = variants.gzipped(set);
                if (v == null && !AcceptEncoding.identityAcceptable(accept)) {
                    throw new HttpException(406, "no acceptable content coding");
                }
            }
        }
        return v == null ? FileResponses.file(request, method, meta, content, null, set)
                : FileResponses.file(request, method, v.meta, v, v.coding.token, set);
    }

    private static String acceptEncoding(Headers in) {
        int n = in.count("Accept-Encoding");
        return n == 0 ? null : n == 1 ? in.get("Accept-Encoding") : String.join(",", in.all("Accept-Encoding"));
    }

    /** The method a request is answered as (a POST as a GET, where the options say so), or null: 405. */
    private Method served(Method method) {
        if (method == Method.GET || method == Method.HEAD) {
            return method;
        }
        return method == Method.POST && postServesFile ? Method.GET : null;
    }

    private Response respond(Request request, Method method, String rawPath, FileLookup.Found found)
            throws HttpException {
        if (found instanceof FileLookup.Redirect r) {
            return FileResponses.redirect(r.location(), request.query());
        }
        if (found instanceof FileLookup.Listing l) {
            return Response.of(200, "text/html; charset=utf-8",
                    Body.text(DirectoryListing.render(l.directory(), l.path(), request.query(), listingMax)));
        }
        FileLookup.RegularFile f = (FileLookup.RegularFile) found;
        FileMeta meta = FileMeta.of(f.path(), f.attrs(), types);
        FileContent content = null;
        if (cache != null && cache.admits(meta.size())) {
            SmallFileCache.Entry entry = cache.get(rawPath);
            if (entry == null || !entry.meta.etag().equals(meta.etag())) {
                entry = load(rawPath, f.path(), meta);
            }
            if (entry != null) {
                meta = entry.meta;
                content = FileContent.of(entry);
            }
        }
        if (content == null) {
            content = FileContent.of(f.path(), meta.size());
        }
        return variants == null ? FileResponses.file(request, method, meta, content)
                : negotiate(request, method, meta, content, variants.of(f.path(), meta));
    }

    private SmallFileCache.Entry load(String rawPath, Path file, FileMeta meta) throws HttpException {
        try {
            return cache.load(rawPath, file, meta);
        } catch (IOException e) {
            HttpException mapped = FileLookup.fromIo(e);
            if (mapped.status() == 500) {
                Log.warn("files", "cannot read file", "path", file, "error", e.getMessage());
            }
            throw mapped;
        }
    }

    /** The cache's once-a-second check: the raw path still leads, through the same rules, to the same file. */
    private boolean unchanged(String rawPath, SmallFileCache.Entry entry) {
        try {
            FileLookup.Found found = lookup.find(PathResolver.parse(rawPath));
            return found instanceof FileLookup.RegularFile f && entry.meta.sameAs(f.attrs());
        } catch (HttpException e) {
            return false;
        }
    }
}
