package org.liso.cgi;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.liso.Log;
import org.liso.http.BodyKind;
import org.liso.http.HttpException;
import org.liso.server.spi.Exchange;
import org.liso.server.spi.SpooledBody;

/**
 * A run's pipes moved by pump threads, where they cannot be the loop's channels ({@link PipeChannels} says why, once
 * at start-up): the JDK's blocking process streams. A launcher thread spawns (it blocks), reads stdout into
 * {@link ScriptOutput}, then stderr, and waits for the exit; stdin has a pump of its own.
 *
 * <p>Stderr costs no thread of its own for a quick script: the launcher reads it after stdout ended (to its EOF, as a
 * pump would). A script still running {@link CgiRun#STDERR_INLINE_MILLIS} after its start gets a stderr pump, so one
 * that fills the stderr pipe while the launcher waits on stdout is never stuck. Whoever claims stderr first reads it
 * (bench/results/cgi.md: a thread hand-off and its wake-ups per request were a measured part of the cost).
 */
final class PumpIo implements ScriptIo {
    /** How long a script that closed stdout without a head gets to exit, so its status can be logged. */
    static final long EXIT_GRACE_MILLIS = 1000;

    private final CgiRun run;
    private final ScriptCommand command;
    private final SpawnMechanism.Spawner spawner;
    private final Executor pumps;
    private final SpooledBody spooled;
    private volatile Process process;
    /** Stderr has a reader (the launcher after stdout, or a pump); guarded by {@code this}. */
    private boolean stderrClaimed;
    private StdinPump stdin;

    PumpIo(CgiRun run, ScriptCommand command, SpawnMechanism.Spawner spawner, Executor pumps, SpooledBody spooled) {
        this.run = run;
        this.command = command;
        this.spawner = spawner;
        this.pumps = pumps;
        this.spooled = spooled;
    }

    /** Loop thread: takes the body, and starts the script on a pump thread (spawning blocks). */
    @Override
    public void start() {
        Exchange exchange = run.exchange();
        if (spooled == null && exchange.request().bodyKind() != BodyKind.NONE) {
            stdin = new StdinPump(exchange, run);
            exchange.readBody(stdin);
        }
        if (!submit(this::launch)) {
            stopInput();
            run.failBeforeHead(new HttpException(503, "server is shutting down"));
            run.partDone();
        }
    }

    private void launch() {
        Process p;
        try {
            p = spawner.start(command);
        } catch (IOException | RuntimeException e) {
            run.cannotStart(e);
            return;
        }
        if (stdin != null || spooled != null) {
            run.addPart();
        }
        process = p; // after the count: the timer may start a stderr pump (another part) from now on
        run.started(p);
        if (spooled != null) {
            if (!submit(() -> runPart(() -> feed(p.getOutputStream())))) {
                closeQuietly(p.getOutputStream());
                run.partDone();
            }
        } else if (stdin == null) {
            closeQuietly(p.getOutputStream());
        } else if (!submit(() -> runPart(() -> stdin.pumpInto(p.getOutputStream())))) {
            stdin.stop();
            closeQuietly(p.getOutputStream());
            run.partDone();
        }
        try {
            readStdout(p);
            closeQuietly(p.getInputStream());
            if (claimStderr()) {
                StderrLogger.drain(p.getErrorStream(), run.id());
            }
            awaitExit(p);
        } finally {
            closeQuietly(p.getInputStream());
            run.partDone();
        }
    }

    /** Reads the script's stdout to its end (or until nobody wants it), on the launcher thread. */
    private void readStdout(Process p) {
        ScriptOutput output = run.output();
        byte[] buf = new byte[CgiRun.CHUNK];
        try {
            InputStream in = p.getInputStream();
            for (int n; (n = in.read(buf)) >= 0; ) {
                if (!output.input(ByteBuffer.wrap(buf, 0, n))) {
                    return;
                }
                run.progress();
            }
            Integer status = null;
            if (output.awaitingHead() && p.waitFor(EXIT_GRACE_MILLIS, TimeUnit.MILLISECONDS)) {
                status = p.exitValue();
            }
            output.end(status);
        } catch (IOException e) {
            if (!run.killed()) {
                Log.warn(CgiRun.LOG, "reading script output failed", "request", run.id(), "error", e.toString());
                run.countFailure();
            }
            output.broken();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            output.broken();
        } finally {
            output.release();
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
     * Loop thread, from the timer: a script still running after {@link CgiRun#STDERR_INLINE_MILLIS} gets a stderr
     * pump, so a full stderr pipe cannot stall it while the launcher waits on stdout. Counted as a part before the
     * launcher's own part can end: the launcher ends only after its claim, which then fails.
     *
     * @return true when stderr has a reader (claimed now or before); false while the script has not started
     */
    @Override
    public boolean stderrRead() {
        Process p = process;
        synchronized (this) {
            if (stderrClaimed || p == null) {
                return stderrClaimed; // not started yet: the next firing looks again
            }
            stderrClaimed = true;
            run.addPart();
        }
        if (!submit(() -> runPart(() -> StderrLogger.drain(p.getErrorStream(), run.id())))) {
            closeQuietly(p.getErrorStream());
            run.partDone();
        }
        return true;
    }

    /**
     * Waits for the script on this pump thread rather than through {@code Process.onExit()}, whose completion runs
     * on a new thread per process when the JVM sees one CPU (pinned servers), a measurable cost per request.
     */
    private void awaitExit(Process p) {
        try {
            run.exited(p.waitFor());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            run.kill();
        }
    }

    /** Writes the spooled body to the script's stdin, then closes it: the script sees EOF after CONTENT_LENGTH. */
    private void feed(OutputStream out) {
        try {
            spooled.writeTo(out, run::progress);
        } catch (IOException stoppedReading) {
            // EPIPE: the script exited or closed stdin without reading the whole body; §4.2 lets it do so.
        } finally {
            spooled.release();
            closeQuietly(out);
        }
    }

    @Override
    public void stopInput() {
        if (stdin != null) {
            stdin.stop();
        }
    }

    /** A pump blocked on a full client queue sees the body released and stops by itself. */
    @Override
    public void killed() {
    }

    @Override
    public void close() {
        Process p = process;
        if (p != null) {
            closeQuietly(p.getOutputStream());
            closeQuietly(p.getInputStream());
            closeQuietly(p.getErrorStream());
        }
    }

    private void runPart(Runnable part) {
        try {
            part.run();
        } finally {
            run.partDone();
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

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // the pipe is being discarded; nothing was pending on it
        }
    }
}
