package org.liso.fastcgi;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.liso.cgi.CgiEnvironment;
import org.liso.cgi.RequestFacts;
import org.liso.http.BodyKind;
import org.liso.http.HttpException;
import org.liso.http.Request;
import org.liso.loop.EventLoop;
import org.liso.server.spi.Exchange;
import org.liso.server.spi.Handler;
import org.liso.server.spi.SpooledBody;

/**
 * Answers the requests of {@code --fastcgi} routes through FastCGI applications (PHP-FPM, application servers), as a
 * non-blocking client on the loop of each request: the RFC 3875 environment from the CGI builder plus SCRIPT_FILENAME
 * and DOCUMENT_ROOT (what PHP-FPM needs to find the script), the request body read whole first as for CGI, the
 * response read by the CGI response parser. Each loop keeps its own connections to each application, within the
 * application's bounds for the whole server ({@link ApplicationSlots}).
 */
public final class FastCgiHandler implements Handler {
    private final FastCgiOptions options;
    /** Per loop, per application; the inner maps are touched by their own loop's thread only. */
    private final Map<EventLoop, Map<BackendAddress, BackendPool>> pools;
    /** Per application, shared by the loops (and by the sites, {@link #forRoot}); never changed after construction. */
    private final Map<BackendAddress, ApplicationSlots> slots;

    public FastCgiHandler(FastCgiOptions options) {
        this(options, new ConcurrentHashMap<>(), slotsFor(options));
    }

    private FastCgiHandler(FastCgiOptions options, Map<EventLoop, Map<BackendAddress, BackendPool>> pools,
            Map<BackendAddress, ApplicationSlots> slots) {
        this.options = options;
        this.pools = pools;
        this.slots = slots;
    }

    private static Map<BackendAddress, ApplicationSlots> slotsFor(FastCgiOptions options) {
        Map<BackendAddress, ApplicationSlots> slots = new HashMap<>();
        for (FastCgiRoute r : options.routes()) {
            slots.computeIfAbsent(r.backend(), b -> new ApplicationSlots(options.maxConnections(), options.maxIdle()));
        }
        return Map.copyOf(slots);
    }

    /**
     * The same routes and connection pools for a virtual host with another document root: its scripts are found
     * under, and named by, that root, while the connections to each application stay shared by every site.
     */
    public FastCgiHandler forRoot(Path root) {
        return root.toAbsolutePath().normalize().equals(options.documentRoot()) ? this
                : new FastCgiHandler(options.withDocumentRoot(root), pools, slots);
    }

    /** True when a route takes {@code rawPath} (a path that cannot be decoded is left to the file handler's 400). */
    public boolean matches(String rawPath) {
        try {
            return route(CgiEnvironment.percentDecode(rawPath)) != null;
        } catch (HttpException undecodable) {
            return false;
        }
    }

    @Override
    public void handle(Exchange exchange) throws HttpException {
        Request r = exchange.request();
        String path = CgiEnvironment.percentDecode(r.path());
        FastCgiRoute route = route(path);
        if (route == null) {
            throw new HttpException(404, "no FastCGI route for " + r.path());
        }
        FastCgiRoute.Split split = route.split(path);
        if (hasDotSegment(split.scriptName())) {
            // The script's file name is made from the path: ".." must not reach outside the root.
            throw new HttpException(400, "dot segment in a FastCGI script path");
        }
        String filename = options.documentRoot() + split.scriptName();
        if (split.scriptIsFile() && !Files.isRegularFile(Path.of(filename))) {
            // As nginx's try_files: no file, no request to the application (which may guess another, cgi.fix_pathinfo).
            throw new HttpException(404, "no script " + split.scriptName());
        }
        if (r.bodyKind() == BodyKind.NONE) {
            start(exchange, route, split, filename, null);
            return;
        }
        long expected = r.bodyKind() == BodyKind.LENGTH ? r.contentLength() : -1;
        SpooledBody body = new SpooledBody(options.bodyMemoryBytes(), options.bodyDirectory(), expected,
                b -> bodyRead(exchange, route, split, filename, b));
        exchange.onAbort(body::release);
        exchange.readBody(body);
    }

    private void bodyRead(Exchange exchange, FastCgiRoute route, FastCgiRoute.Split split, String filename,
            SpooledBody body) {
        if (body.failure() != null) {
            body.release();
            exchange.fail(new HttpException(500, "request body could not be buffered in " + options.bodyDirectory()
                    + ": " + body.failure()));
            return;
        }
        start(exchange, route, split, filename, body);
    }

    private void start(Exchange exchange, FastCgiRoute route, FastCgiRoute.Split split, String filename,
            SpooledBody body) {
        Map<String, String> env = CgiEnvironment.build(RequestFacts.of(exchange, body == null ? -1 : body.length()),
                options.environment(), null, split.scriptName(), split.pathInfo());
        env.remove("PATH"); // the application has its own; a CGI process needs one only because it starts afresh
        env.put("SCRIPT_FILENAME", filename);
        env.put("DOCUMENT_ROOT", options.documentRoot().toString());
        BackendPool pool = pools.computeIfAbsent(exchange.loop(), l -> new HashMap<>())
                .computeIfAbsent(route.backend(), b -> new BackendPool(exchange.loop(), b, slots.get(b)));
        new FastCgiCall(exchange, pool, Records.nameValuePairs(env), body, options.timeoutMillis()).start();
    }

    private FastCgiRoute route(String path) {
        for (FastCgiRoute r : options.routes()) {
            if (r.split(path) != null) {
                return r;
            }
        }
        return null;
    }

    private static boolean hasDotSegment(String path) {
        for (String segment : path.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return true;
            }
        }
        return false;
    }
}
