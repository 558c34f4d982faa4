package org.liso.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongSupplier;
import org.liso.Log;
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
 * GET while the server reads and discards its body.
 */
public final class FileHandler implements Handler {
    private final Path root;
    private final FileLookup lookup;
    private final SmallFileCache cache;
    private final MimeTypes types;
    private final boolean postServesFile;
    private final int listingMax;

    /**
     * @throws IllegalArgumentException when {@code root} is not a readable directory
     */
    public FileHandler(Path root, FileOptions options) {
        this(root, options, () -> System.nanoTime() / 1_000_000L);
    }

    /** {@code clock} gives monotonic milliseconds; it paces the cache's revalidation. */
    FileHandler(Path root, FileOptions options, LongSupplier clock) {
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
            if (hit != null) {
                exchange.respond(FileResponses.file(request, method, hit.meta, FileContent.of(hit)));
                return;
            }
        }
        FileLookup.Found found = lookup.find(PathResolver.parse(rawPath));
        if (method == null) {
            exchange.respond(FileResponses.methodNotAllowed(request.methodName()));
            return;
        }
        exchange.respond(respond(request, method, rawPath, found));
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
        if (cache != null && cache.admits(meta.size())) {
            SmallFileCache.Entry entry = load(rawPath, f.path(), meta);
            if (entry != null) {
                return FileResponses.file(request, method, entry.meta, FileContent.of(entry));
            }
        }
        return FileResponses.file(request, method, meta, FileContent.of(f.path(), meta.size()));
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
