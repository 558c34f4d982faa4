package org.liso.cgi;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.liso.Log;
import org.liso.http.AcceptEncoding;
import org.liso.http.BodyKind;
import org.liso.http.ContentCoding;
import org.liso.http.HttpException;
import org.liso.loop.EventLoop;
import org.liso.loop.Timer;
import org.liso.server.spi.Exchange;
import org.liso.server.spi.Response;
import org.liso.server.spi.SpooledBody;
import org.liso.server.spi.StreamBody;

/**
 * One request's script: started, fed, read, timed, killed and reaped. The loop thread owns {@link State}; the pump
 * threads (launcher/stdout, stdin, stderr) hand results back through {@link EventLoop#execute}. The run is released
 * (its process slot freed) when the process has exited and every pump has ended, whatever happened.
 *
 * <p>Stderr costs no thread of its own for a quick script: the launcher reads it after stdout ended (to its EOF, as a
 * pump would). A script still running {@link #STDERR_INLINE_MILLIS} after its start gets a stderr pump, so one that
 * fills the stderr pipe while the launcher waits on stdout is never stuck. Whoever claims stderr first reads it
 * (bench/results/cgi.md: a thread hand-off and its wake-ups per request were a measured part of the cost). How
 * stdout becomes the response is {@link ScriptOutput}'s; how the script is started, {@link SpawnMechanism}'s.
 *
 * <pre>
 *   WAITING --head parsed--> STREAMING --output ends / timeout / abort--> ENDED
 *      \--no valid head (502) / cannot start (500) / timeout (504) / abort--> ENDED
 * </pre>
 */
final class CgiRun {

    /** Where the response stands. */
    enum State { WAITING, STREAMING, ENDED }

    static final int CHUNK = 32 * 1024;
    /** Chunks queued towards the client at most: with {@link #CHUNK} a 256 KiB bound per script. */
    static final int MAX_CHUNKS = 8;
    /** A script running longer gets a stderr pump; a quicker one has its stderr read by the launcher. */
    static final long STDERR_INLINE_MILLIS = 50;
    static final String LOG = "cgi";

    private final CgiHandler owner;
    private final long id;
    private final Exchange exchange;
    private final EventLoop loop;
    private final ProcessBuilder builder;
    private final SpawnMechanism.Spawner spawner;
    private final long timeoutMillis;
    private final Executor pumps;
    /** Reads stdout into the response. */
    private final ScriptOutput output;
    /**
     * Parts still running: the launcher/stdout pump (which also reads stderr unless a pump took it, and waits for
     * the exit), then stdin and a stderr pump if there are any.
     */
    private final AtomicInteger parts = new AtomicInteger(1);
    private volatile long lastProgress = System.nanoTime();
    private volatile boolean killed;
    private volatile boolean outputComplete;
    private volatile Process process;
    /** Stderr has a reader (the launcher after stdout, or a pump); guarded by {@code this}. */
    private boolean stderrClaimed;
    /** The request body read before the start, or null (none, or streamed through {@link #stdin}). */
    private final SpooledBody spooled;
    private StdinPump stdin;
    // loop thread only
    private State state = State.WAITING;
    private StreamBody body;
    private Timer timer;

    CgiRun(CgiHandler owner, long id, Exchange exchange, ProcessBuilder builder, SpawnMechanism.Spawner spawner,
            CgiOptions options, Executor pumps, SpooledBody spooled) {
        this.owner = owner;
        this.id = id;
        this.exchange = exchange;
        this.loop = exchange.loop();
        this.builder = builder;
        this.spawner = spawner;
        this.timeoutMillis = options.timeoutMillis();
        boolean gzipOn = options.gzip();
        this.output = new ScriptOutput(this, id, loop, options.nphPassthrough(), gzipOn, gzipOn
                && AcceptEncoding.choose(exchange.request().headers().get("Accept-Encoding"), ContentCoding.GZIP.bit)
                == ContentCoding.GZIP.ordinal());
        this.pumps = pumps;
        this.spooled = spooled;
    }

    long id() {
        return id;
    }

    /** Loop thread: arms the timeout, takes the body, and starts the script on a pump thread (spawning blocks). */
    void start() {
        exchange.onAbort(this::abort);
        timer = loop.timer(this::onTimer);
        timer.schedule(Math.min(STDERR_INLINE_MILLIS, timeoutMillis));
        if (spooled == null && exchange.request().bodyKind() != BodyKind.NONE) {
            stdin = new StdinPump(exchange, this);
            exchange.readBody(stdin);
        }
        if (!submit(this::launch)) {
            state = State.ENDED;
            exchange.fail(new HttpException(503, "server is shutting down"));
            partDone();
        }
    }

    /** Some byte moved: the timeout counts from the last progress in either direction. */
    void progress() {
        lastProgress = System.nanoTime();
    }

    // ---- launcher / stdout pump thread ----

    private void launch() {
        Process p;
        try {
            p = spawner.start(builder);
        } catch (IOException | RuntimeException e) {
            // Per request as well as at start-up: the script may have been removed or lost its x bit since.
            Log.error(LOG, "cannot start script", "request", id, "error", e.getMessage());
            owner.failed();
            stopInput();
            loop.execute(() -> failIfWaiting(new HttpException(500, "CGI script cannot be started")));
            partDone();
            return;
        }
        if (stdin != null || spooled != null) {
            parts.incrementAndGet();
        }
        process = p; // after the count: the timer may start a stderr pump (another part) from now on
        if (killed) {
            killTree(p);
        }
        if (spooled != null) {
            if (!submit(() -> runPart(() -> feed(p.getOutputStream())))) {
                closeQuietly(p.getOutputStream());
                partDone();
            }
        } else if (stdin == null) {
            closeQuietly(p.getOutputStream());
        } else if (!submit(() -> runPart(() -> stdin.pumpInto(p.getOutputStream())))) {
            stdin.stop();
            closeQuietly(p.getOutputStream());
            partDone();
        }
        try {
            output.pump(p);
            closeQuietly(p.getInputStream());
            if (claimStderr()) {
                StderrLogger.drain(p.getErrorStream(), id);
            }
            awaitExit(p);
        } finally {
            closeQuietly(p.getInputStream());
            partDone();
        }
    }

    /** Takes stderr for the caller to read; false when another reader has it already. */
    private synchronized boolean claimStderr() {
        if (stderrClaimed) {
            return false;
        }
        stderrClaimed = true;
        return true;
    }

    /**
     * Loop thread, from the timer: a script still running after {@link #STDERR_INLINE_MILLIS} gets a stderr pump, so
     * a full stderr pipe cannot stall it while the launcher waits on stdout. Counted as a part before the launcher's
     * own part can end: the launcher ends only after its claim, which then fails.
     *
     * @return true when stderr has a reader (claimed now or before); false while the script has not started
     */
    private boolean stderrPumpIfStillRunning() {
        Process p = process;
        synchronized (this) {
            if (stderrClaimed || p == null) {
                return stderrClaimed; // not started yet: the next firing looks again
            }
            stderrClaimed = true;
            parts.incrementAndGet();
        }
        if (!submit(() -> runPart(() -> StderrLogger.drain(p.getErrorStream(), id)))) {
            closeQuietly(p.getErrorStream());
            partDone();
        }
        return true;
    }

    /**
     * Waits for the script on this pump thread rather than through {@code Process.onExit()}, whose completion runs
     * on a new thread per process when the JVM sees one CPU (pinned servers), a measurable cost per request.
     */
    private void awaitExit(Process p) {
        try {
            int status = p.waitFor();
            if (status != 0 && !killed) {
                Log.warn(LOG, "script exited", "request", id, "status", status);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
        stopInput();
    }

    /** Writes the spooled body to the script's stdin, then closes it: the script sees EOF after CONTENT_LENGTH. */
    private void feed(OutputStream out) {
        try {
            spooled.writeTo(out, this::progress);
        } catch (IOException stoppedReading) {
            // EPIPE: the script exited or closed stdin without reading the whole body; §4.2 lets it do so.
        } finally {
            spooled.release();
            closeQuietly(out);
        }
    }

    // ---- from ScriptOutput, on the launcher thread ----

    void headParsed(Response response, StreamBody handed) {
        loop.execute(() -> onHead(response, handed));
    }

    void failBeforeHead(HttpException e) {
        loop.execute(() -> failIfWaiting(e));
    }

    /** The whole output went to the client: a timeout from now on only kills a script that lingers. */
    void outputComplete() {
        outputComplete = true;
    }

    void countFailure() {
        owner.failed();
    }

    boolean killed() {
        return killed;
    }

    // ---- loop thread ----

    private void onHead(Response response, StreamBody handed) {
        if (state != State.WAITING) {
            handed.release();
            return;
        }
        state = State.STREAMING;
        body = handed;
        exchange.respond(response);
    }

    private void failIfWaiting(HttpException e) {
        if (state == State.WAITING) {
            state = State.ENDED;
            exchange.fail(e);
        }
    }

    private void onTimer() {
        if (parts.get() == 0) {
            return;
        }
        boolean stderrUnread = !stderrPumpIfStillRunning();
        long idle = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastProgress);
        if (idle < timeoutMillis) {
            // Not started yet (a slow spawn): look again soon rather than only at the timeout.
            timer.schedule(stderrUnread ? Math.min(STDERR_INLINE_MILLIS, timeoutMillis - idle) : timeoutMillis - idle);
            return;
        }
        owner.timedOut();
        if (state == State.WAITING) {
            Log.warn(LOG, "script timed out before a response head, killed", "request", id);
            state = State.ENDED;
            exchange.fail(new HttpException(504, "CGI script timed out"));
        } else if (state == State.STREAMING && !outputComplete) {
            Log.warn(LOG, "script stalled mid-response, killed", "request", id);
            state = State.ENDED;
            body.fail();
        } else {
            Log.warn(LOG, "script still running after its response, killed", "request", id);
        }
        kill();
    }

    private void abort() {
        if (state != State.ENDED && !outputComplete) {
            Log.info(LOG, "client gone, script killed", "request", id);
        }
        state = State.ENDED;
        if (body != null) {
            body.release();
        }
        kill();
    }

    // ---- any thread ----

    /** Kills the script and every process it started; the pumps then see EOF and end. Idempotent. */
    void kill() {
        killed = true;
        stopInput();
        Process p = process;
        if (p != null) {
            killTree(p);
        }
    }

    /**
     * Server shutdown, off the loop thread: the client still waiting for a head gets 503 (a response begun is cut
     * off), and the script and every process it started get SIGTERM, to clean up before the caller's SIGKILL.
     *
     * @return the processes signalled, children first, for the caller to wait on and kill
     */
    List<ProcessHandle> terminate() {
        killed = true;
        stopInput();
        // Queued before the signal, so it reaches the loop ahead of the 502 the pump reports once stdout ends.
        loop.execute(this::answerShutdown);
        Process p = process;
        if (p == null || !p.isAlive()) {
            return List.of();
        }
        List<ProcessHandle> tree = ProcessTree.of(p);
        tree.forEach(ProcessHandle::destroy);
        return tree;
    }

    /** SIGKILL to the script's tree at once, off the loop thread; returns what was killed, to wait for. */
    List<ProcessHandle> killNow() {
        killed = true;
        stopInput();
        Process p = process;
        if (p == null || !p.isAlive()) {
            return List.of();
        }
        List<ProcessHandle> tree = ProcessTree.of(p);
        tree.forEach(ProcessHandle::destroyForcibly);
        return tree;
    }

    private void answerShutdown() {
        if (state == State.WAITING) {
            state = State.ENDED;
            exchange.fail(new HttpException(503, "server is shutting down"));
        } else if (state == State.STREAMING && !outputComplete) {
            Log.warn(LOG, "script still streaming at shutdown, response cut off", "request", id);
            state = State.ENDED;
            body.fail();
        }
    }

    /** Listing descendants reads all of /proc, so the loop thread hands that to another thread. */
    private void killTree(Process p) {
        if (!p.isAlive()) {
            return;
        }
        if (loop.inLoop()) {
            ForkJoinPool.commonPool().execute(() -> killTreeNow(p));
        } else {
            killTreeNow(p);
        }
    }

    private static void killTreeNow(Process p) {
        ProcessTree.of(p).forEach(ProcessHandle::destroyForcibly);
    }

    private void stopInput() {
        if (stdin != null) {
            stdin.stop();
        }
    }

    private void runPart(Runnable part) {
        try {
            part.run();
        } finally {
            partDone();
        }
    }

    private boolean submit(Runnable part) {
        try {
            pumps.execute(part);
            return true;
        } catch (RejectedExecutionException shutDown) {
            return false;
        }
    }

    private void partDone() {
        if (parts.decrementAndGet() == 0) {
            Process p = process;
            if (p != null) {
                closeQuietly(p.getOutputStream());
                closeQuietly(p.getInputStream());
                closeQuietly(p.getErrorStream());
            }
            if (spooled != null) {
                spooled.release(); // every end of the run frees the body's memory and temporary file
            }
            owner.finished(this);
            loop.execute(() -> timer.cancel());
        }
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // the pipe is being discarded; nothing was pending on it
        }
    }
}
