package org.liso.cgi;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.liso.Log;
import org.liso.http.BodyKind;
import org.liso.http.HttpException;
import org.liso.http.Request;
import org.liso.server.spi.Body;
import org.liso.server.spi.Exchange;
import org.liso.server.spi.Handler;
import org.liso.server.spi.Response;
import org.liso.server.spi.SpooledBody;

/**
 * Runs one configured executable for every request under {@code /cgi} (the classic lisod design), as RFC 3875
 * describes. The loop spawns the script and moves its pipes itself, as selectable channels ({@link PipeChannels});
 * where they cannot be made, pump threads do (said once at start-up), and the loop never blocks on a pipe.
 */
public final class CgiHandler implements Handler {
    /** Seconds a client is asked to wait when every script slot is taken (RFC 9110 §10.2.3). */
    static final String RETRY_AFTER_SECONDS = "1";
    /** How long scripts get between SIGTERM and SIGKILL at shutdown. */
    static final long KILL_AFTER_TERM_MILLIS = 500;
    /** How long a stopped server waits for killed scripts to be gone. */
    private static final long REAP_MILLIS = 2_000;
    private static final String LOG = "cgi";

    private final Path script;
    /** The script's directory, its working directory (RFC 3875 §7.2). */
    private final File directory;
    private final CgiOptions options;
    /** Null when the pipes are the loop's channels. */
    private final PipeChannels pipes;
    /** Null unless pump threads move the pipes. */
    private final ExecutorService pumps;
    private final SpawnMechanism.Spawner spawner;
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong timedOut = new AtomicLong();
    private final Set<CgiRun> live = ConcurrentHashMap.newKeySet();
    private final String pathVariable = System.getenv("PATH");
    private volatile boolean closed;

    /**
     * @throws IllegalArgumentException when {@code script} is not an executable regular file
     */
    public CgiHandler(Path script, CgiOptions options) {
        this(script, options, true);
    }

    /** @param pipesOnLoop false keeps the pump threads even where the loop could move the pipes (tests) */
    CgiHandler(Path script, CgiOptions options, boolean pipesOnLoop) {
        Path absolute = script.toAbsolutePath().normalize();
        if (!Files.isRegularFile(absolute)) {
            throw new IllegalArgumentException("CGI script " + script + " does not exist or is not a regular file");
        }
        if (!Files.isExecutable(absolute)) {
            throw new IllegalArgumentException("CGI script " + script + " is not executable (chmod +x " + script + ")");
        }
        this.spawner = SpawnMechanism.choose(absolute);
        this.script = absolute;
        this.directory = absolute.getParent().toFile();
        this.options = options;
        this.pipes = pipesOnLoop ? loopPipes() : null;
        this.pumps = pipes != null ? null : PumpPool.create(options.maxProcesses(), spawner.virtualThreadsFit());
    }

    private static PipeChannels loopPipes() {
        try {
            PipeChannels p = PipeChannels.open();
            Log.debug(LOG, "script pipes are moved by the loop");
            return p;
        } catch (UnsupportedOperationException e) {
            Log.info(LOG, "script pipes are moved by pump threads", "because", e.getMessage());
            return null;
        }
    }

    /** "loop" or "threads": who moves the scripts' pipes, for tests. */
    String pipeMover() {
        return pipes != null ? "loop" : "threads";
    }

    /**
     * Without a body, or with a Content-Length body under {@code --cgi-stream-body}, the script starts at once. Any
     * other body is read whole first ({@link SpooledBody}): the script needs CONTENT_LENGTH (RFC 3875 §4.1.2), and a
     * client uploading slowly must not hold one of the few script slots meanwhile. The body timeout and
     * {@code --max-body} of the server apply while it is read.
     */
    @Override
    public void handle(Exchange exchange) throws HttpException {
        handle(exchange, options);
    }

    /**
     * The same script, slots and pumps for a virtual host with another document root, into which PATH_TRANSLATED
     * maps PATH_INFO (RFC 3875 §4.1.6).
     */
    public Handler forRoot(Path root) {
        Path current = options.documentRoot();
        if (current != null && current.toAbsolutePath().normalize().equals(root.toAbsolutePath().normalize())) {
            return this;
        }
        CgiOptions site = options.withDocumentRoot(root);
        return exchange -> handle(exchange, site);
    }

    /** @param env the options the script's environment is built from (the site's document root) */
    private void handle(Exchange exchange, CgiOptions env) throws HttpException {
        if (closed) {
            throw new HttpException(503, "server is shutting down");
        }
        Request r = exchange.request();
        CgiEnvironment.pathInfo(r.path()); // a path no environment can hold is refused before any body is read
        if (r.bodyKind() == BodyKind.NONE) {
            start(exchange, null, -1, env);
        } else if (r.bodyKind() == BodyKind.LENGTH && options.streamBody()) {
            start(exchange, null, r.contentLength(), env);
        } else {
            long expected = r.bodyKind() == BodyKind.LENGTH ? r.contentLength() : -1;
            SpooledBody body = new SpooledBody(options.bodyMemoryBytes(), options.bodyDirectory(), expected,
                    b -> bodyRead(exchange, b, env));
            exchange.onAbort(body::release);
            exchange.readBody(body);
        }
    }

    /** Loop thread: the whole body is here; only now is a script slot taken. */
    private void bodyRead(Exchange exchange, SpooledBody body, CgiOptions env) {
        try {
            if (body.failure() != null) {
                throw new HttpException(500, "request body could not be buffered in " + options.bodyDirectory()
                        + ": " + body.failure());
            }
            if (closed) {
                throw new HttpException(503, "server is shutting down");
            }
            if (!start(exchange, body, body.length(), env)) {
                body.release();
            }
        } catch (HttpException e) {
            body.release();
            exchange.fail(e);
        } catch (RuntimeException fault) {
            body.release();
            throw fault;
        }
    }

    /**
     * Takes a slot and starts the script, fed from {@code body} (spooled), from the connection (a streamed
     * Content-Length body) or with nothing.
     *
     * @return false when every slot was busy (answered 503)
     */
    private boolean start(Exchange exchange, SpooledBody body, long bodyLength, CgiOptions site)
            throws HttpException {
        if (!acquire()) {
            exchange.respond(busy());
            return false;
        }
        Map<String, String> env;
        try {
            env = CgiEnvironment.build(RequestFacts.of(exchange, bodyLength), site, pathVariable);
        } catch (HttpException | RuntimeException e) {
            running.decrementAndGet();
            throw e;
        }
        ScriptCommand command = new ScriptCommand(List.of(script.toString()), directory, env);
        CgiRun run = new CgiRun(this, ids.incrementAndGet(), exchange, command, spawner, options, pipes, pumps,
                body);
        live.add(run);
        run.start();
        return true;
    }

    /**
     * A graceful server shutdown has begun: no new scripts start (503), and those running get
     * {@code finishWithinMillis} to finish. Then each still running gets SIGTERM with its whole tree (its client, if
     * no head was sent yet, gets 503), and SIGKILL {@link #KILL_AFTER_TERM_MILLIS} later. Returns at once; a thread
     * of its own keeps the time, so the loop goes on draining meanwhile.
     */
    public void shutdown(long finishWithinMillis) {
        closed = true;
        Thread t = new Thread(() -> stopRunning(finishWithinMillis), "cgi-shutdown");
        t.setDaemon(true);
        t.start();
    }

    private void stopRunning(long finishWithinMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(finishWithinMillis);
        synchronized (live) {
            for (long left; !live.isEmpty() && (left = deadline - System.nanoTime()) > 0; ) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(live, left);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
        List<ProcessHandle> signalled = new ArrayList<>();
        for (CgiRun run : live) {
            Log.warn(LOG, "script still running at shutdown, terminating it", "request", run.id());
            signalled.addAll(run.terminate());
        }
        ProcessTree.awaitExit(signalled, KILL_AFTER_TERM_MILLIS);
        signalled.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    /**
     * The server has stopped: every script still running is killed with its tree, and this waits (up to
     * {@link #REAP_MILLIS}) until they are gone, so none outlives the server as an orphan.
     */
    public void close() {
        closed = true;
        List<ProcessHandle> killed = new ArrayList<>();
        for (CgiRun run : live) {
            killed.addAll(run.killNow());
        }
        ProcessTree.awaitExit(killed, REAP_MILLIS);
        if (pumps != null) {
            pumps.shutdown();
        }
    }

    /** Scripts started and not yet reaped. */
    int running() {
        return running.get();
    }

    /**
     * What the scripts did so far, for the metrics. Atomics, unlike the loops' own counters: the pump threads of
     * every loop count here, and a script costs a process start, next to which an atomic add is nothing.
     */
    public CgiCounts counts() {
        return new CgiCounts(running.get(), ids.get(), failed.get(), timedOut.get());
    }

    /** A script gave its client no valid response: it could not start, wrote no or an invalid head, broke off. */
    void failed() {
        failed.incrementAndGet();
    }

    /** A script was killed for its --cgi-timeout. */
    void timedOut() {
        timedOut.incrementAndGet();
    }

    void finished(CgiRun run) {
        if (live.remove(run)) {
            running.decrementAndGet();
            synchronized (live) {
                live.notifyAll();
            }
        }
    }

    private boolean acquire() {
        for (int n = running.get(); n < options.maxProcesses(); n = running.get()) {
            if (running.compareAndSet(n, n + 1)) {
                return true;
            }
        }
        return false;
    }

    private static Response busy() {
        Response r = Response.of(503, "text/plain; charset=utf-8",
                Body.text("503 Service Unavailable: every CGI slot is busy, retry shortly\n"));
        r.headers().add("Retry-After", RETRY_AFTER_SECONDS);
        return r;
    }
}
