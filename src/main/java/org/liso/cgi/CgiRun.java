package org.liso.cgi;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.liso.Log;
import org.liso.http.AcceptEncoding;
import org.liso.http.ContentCoding;
import org.liso.http.HttpException;
import org.liso.http.Method;
import org.liso.loop.EventLoop;
import org.liso.loop.Timer;
import org.liso.server.spi.Exchange;
import org.liso.server.spi.Response;
import org.liso.server.spi.SpooledBody;
import org.liso.server.spi.StreamBody;

/**
 * One request's script: started, timed, killed and reaped, whoever moves its pipes ({@link ScriptIo}: the loop
 * itself when the pipes can be selectable channels, else pump threads). The loop thread owns {@link State}; results
 * found elsewhere come back through {@link EventLoop#execute}. The run is released (its process slot freed) when the
 * process has exited and every part of its I/O has ended, whatever happened. How stdout becomes the response is
 * {@link ScriptOutput}'s; how the script is started, {@link SpawnMechanism}'s.
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
    /** A script running longer gets its stderr read (a pump; the loop registers it); a quicker one's at its exit. */
    static final long STDERR_INLINE_MILLIS = 50;
    static final String LOG = "cgi";

    private final CgiHandler owner;
    private final long id;
    private final Exchange exchange;
    private final EventLoop loop;
    private final long timeoutMillis;
    /** Reads stdout into the response. */
    private final ScriptOutput output;
    private final ScriptIo io;
    /** Parts still running: the main one (stdout, stderr, the exit), then stdin and pumps if there are any. */
    private final AtomicInteger parts = new AtomicInteger(1);
    private volatile long lastProgress = System.nanoTime();
    private volatile boolean killed;
    private volatile boolean outputComplete;
    private volatile Process process;
    /** The request body read before the start, or null (none, or streamed). */
    private final SpooledBody spooled;
    // loop thread only
    private State state = State.WAITING;
    private StreamBody body;
    private Timer timer;

    /**
     * @param pipes selectable pipes for the loop to move, or null for pump threads from {@code pumps}
     */
    CgiRun(CgiHandler owner, long id, Exchange exchange, ScriptCommand command, SpawnMechanism.Spawner spawner,
            CgiOptions options, PipeChannels pipes, Executor pumps, SpooledBody spooled) {
        this.owner = owner;
        this.id = id;
        this.exchange = exchange;
        this.loop = exchange.loop();
        this.timeoutMillis = options.timeoutMillis();
        this.output = new ScriptOutput(this, id, loop, options.nphPassthrough(), gzipFor(options, exchange));
        this.spooled = spooled;
        this.io = pipes != null ? new LoopIo(this, command, spawner, pipes, spooled)
                : new PumpIo(this, command, spawner, pumps, spooled);
    }

    private static ScriptOutput.Gzip gzipFor(CgiOptions options, Exchange exchange) {
        if (!options.gzip()) {
            return ScriptOutput.Gzip.OFF;
        }
        if (AcceptEncoding.choose(exchange.request().headers().get("Accept-Encoding"), ContentCoding.GZIP.bit)
                != ContentCoding.GZIP.ordinal()) {
            return ScriptOutput.Gzip.REFUSED;
        }
        return exchange.request().method() == Method.HEAD ? ScriptOutput.Gzip.HEAD_ONLY : ScriptOutput.Gzip.ON;
    }

    long id() {
        return id;
    }

    Exchange exchange() {
        return exchange;
    }

    EventLoop loop() {
        return loop;
    }

    ScriptOutput output() {
        return output;
    }

    /** Loop thread: arms the timeout and starts the script. */
    void start() {
        exchange.onAbort(this::abort);
        timer = loop.timer(this::onTimer);
        timer.schedule(io.stderrRead() ? timeoutMillis : Math.min(STDERR_INLINE_MILLIS, timeoutMillis));
        io.start();
    }

    /** Some byte moved: the timeout counts from the last progress in either direction. */
    void progress() {
        lastProgress = System.nanoTime();
    }

    // ---- from the I/O side (the loop or a pump thread) ----

    /** Another part (stdin, a pump) runs until its {@link #partDone}. */
    void addPart() {
        parts.incrementAndGet();
    }

    void started(Process p) {
        process = p;
        if (killed) {
            killTree(p);
        }
    }

    /** The script could not be started; ends the main part. */
    void cannotStart(Exception e) {
        // Per request as well as at start-up: the script may have been removed or lost its x bit since.
        Log.error(LOG, "cannot start script", "request", id, "error", e.getMessage());
        owner.failed();
        io.stopInput();
        loop.execute(() -> failIfWaiting(new HttpException(500, "CGI script cannot be started")));
        partDone();
    }

    /** The script exited with {@code status} (the JDK's value: the code, or 128 + the signal). */
    void exited(int status) {
        if (status != 0 && !killed) {
            Log.warn(LOG, "script exited", "request", id, "status", status);
        }
        io.stopInput();
    }

    void headParsed(Response response, StreamBody handed) {
        onLoop(() -> onHead(response, handed));
    }

    void failBeforeHead(HttpException e) {
        onLoop(() -> failIfWaiting(e));
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
        boolean stderrUnread = !io.stderrRead();
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

    /** Kills the script and every process it started; its pipes then see EOF and end. Idempotent. */
    void kill() {
        killed = true;
        io.stopInput();
        io.killed();
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
        io.stopInput();
        io.killed();
        // Queued before the signal, so it reaches the loop ahead of the 502 reported once stdout ends.
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
        io.stopInput();
        io.killed();
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

    /** Runs {@code task} on the loop thread: at once when already there, else queued. */
    void onLoop(Runnable task) {
        if (loop.inLoop()) {
            task.run();
        } else {
            loop.execute(task);
        }
    }

    /** A part ended; the last one releases the run. Any thread. */
    void partDone() {
        if (parts.decrementAndGet() == 0) {
            io.close();
            if (spooled != null) {
                spooled.release(); // every end of the run frees the body's memory and temporary file
            }
            owner.finished(this);
            onLoop(() -> timer.cancel());
        }
    }
}
