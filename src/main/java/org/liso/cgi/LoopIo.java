package org.liso.cgi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.spi.AbstractSelectableChannel;
import org.liso.Log;
import org.liso.http.BodyKind;
import org.liso.loop.EventLoop;
import org.liso.loop.Readiness;
import org.liso.loop.Timer;
import org.liso.server.spi.BodyRelay;
import org.liso.server.spi.SpooledBody;

/**
 * A run's pipes moved by the loop itself, as selectable channels ({@link ScriptPipes}): no pump thread, no hand-off.
 * The loop spawns (as lighttpd's event loop forks: a VFORK or posix_spawn returns once the child has exec'd), reads
 * stdout into {@link ScriptOutput} (paused while the client's queue is full: {@link BodyRelay.Flow}) and stderr
 * into the log, and writes stdin through {@link StdinWriter}. The exit is found without a thread of ours: once stdout
 * ended, {@link Process#isAlive()} is asked on a timer that backs off (the JDK's reaper, or our waitpid, answers
 * it); the JDK offers no exit notice on 17 without a thread per process ({@code onExit()} completes asynchronously).
 *
 * <pre>
 *   main part: READING (stdout and stderr) --both at EOF, exit seen--> DONE (the run's main part ends)
 * </pre>
 * Loop thread only, but {@link #stopInput} and {@link #close}.
 */
final class LoopIo implements ScriptIo {
    /** Reads of one pipe per readiness at most, so one chatty script cannot hold the loop. */
    private static final int READS_PER_EVENT = 4;
    /** The first and the longest wait between two looks at whether the script has exited. */
    private static final long FIRST_EXIT_POLL_MILLIS = 1;
    private static final long MAX_EXIT_POLL_MILLIS = 10;
    /** One read buffer per loop thread: every read is consumed (copied into a chunk) before the next. */
    private static final ThreadLocal<ByteBuffer> READ_BUFFER =
            ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(CgiRun.CHUNK));

    private final CgiRun run;
    private final EventLoop loop;
    private final ScriptCommand command;
    private final SpawnMechanism.Spawner spawner;
    private final PipeChannels channels;
    private final SpooledBody spooled;
    private volatile ScriptPipes pipes;
    private volatile StdinWriter stdin;
    private Process process;
    private SelectionKey outKey;
    private SelectionKey errKey;
    private StderrLogger stderr;
    private boolean outEnded;
    private boolean errEnded;
    private Integer exitStatus;
    private Timer exitPoll;
    private long exitPollDelay = FIRST_EXIT_POLL_MILLIS;
    /** Stdout ended without a head at this loop time: the 502 waits (a bounded while) for the exit status. */
    private long noHeadSince = -1;
    private boolean mainDone;

    LoopIo(CgiRun run, ScriptCommand command, SpawnMechanism.Spawner spawner, PipeChannels channels,
            SpooledBody spooled) {
        this.run = run;
        this.loop = run.loop();
        this.command = command;
        this.spawner = spawner;
        this.channels = channels;
        this.spooled = spooled;
    }

    @Override
    public void start() {
        boolean streamed = spooled == null && run.exchange().request().bodyKind() != BodyKind.NONE;
        ScriptPipes p;
        Process started;
        try {
            p = channels.create(streamed || spooled != null);
        } catch (IOException e) {
            run.cannotStart(e);
            return;
        }
        try {
            started = spawner.start(command, p);
        } catch (IOException | RuntimeException e) {
            p.close();
            run.cannotStart(e);
            return;
        } finally {
            p.closeChildEnds();
        }
        pipes = p;
        process = started;
        run.started(started);
        stderr = new StderrLogger(run.id());
        run.output().onLoop(new BodyRelay.Flow() {
            @Override
            public void pause() {
                if (!outEnded) { // a pipe read to its end has nothing to pause (its key is cancelled)
                    outKey.interestOps(0);
                }
            }

            @Override
            public void resume() {
                if (!outEnded) {
                    outKey.interestOps(SelectionKey.OP_READ);
                }
            }
        });
        outKey = register(p.stdout, new Reader(true));
        if (p.stdin == null) {
            return; // no body: the script's stdin is /dev/null
        }
        run.addPart();
        StdinWriter w = new StdinWriter(run, p.stdin, spooled);
        stdin = w;
        if (streamed) {
            run.exchange().readBody(w);
        } else {
            w.writeSpooled();
        }
    }

    private SelectionKey register(AbstractSelectableChannel ch, Readiness r) {
        try {
            return loop.register(ch, SelectionKey.OP_READ, r);
        } catch (ClosedChannelException e) {
            throw new IllegalStateException("an open pipe was closed", e);
        }
    }

    /**
     * Stderr is read without the selector first: a quick script's stderr is at its end (or holds its few lines)
     * by the time its stdout ends, as both close when it exits, so reading it then costs no registration (two
     * epoll_ctl per request, bench/results/cgi.md). It is registered when it is still open then, when the script is
     * killed, or when the run's timer finds the script still running after {@link CgiRun#STDERR_INLINE_MILLIS}, so
     * that one filling its stderr pipe before its response is not stuck.
     */
    private void readStderr() {
        if (errEnded || errKey != null) {
            return;
        }
        Reader r = new Reader(false);
        if (r.readSome() && !errEnded) {
            errKey = register(pipes.stderr, r);
        }
    }

    /** Stdout or stderr. */
    private final class Reader implements Readiness {
        private final boolean stdout;

        Reader(boolean stdout) {
            this.stdout = stdout;
        }

        @Override
        public void ready(int readyOps) {
            if (!readSome()) {
                lookForExit();
            } else if (stdout && !outEnded) {
                run.output().flush(); // the pipe is empty for now: a head held back goes out with what came
            }
        }

        /**
         * Reads until the pipe is (likely) empty, at most {@link #READS_PER_EVENT} times. A short read is the last,
         * but for stdout while its head is held back: one more read finds out whether the script has finished, so
         * that the whole response goes out at once.
         *
         * @return false when this pipe ended or broke
         */
        private boolean readSome() {
            ByteBuffer buf = READ_BUFFER.get();
            for (int k = 0; k < READS_PER_EVENT; k++) {
                if (stdout ? outEnded : errEnded) {
                    return false;
                }
                buf.clear();
                int n;
                try {
                    n = (stdout ? pipes.stdout : pipes.stderr).read(buf);
                } catch (IOException e) {
                    broken(e);
                    return false;
                }
                if (n < 0) {
                    ended();
                    return false;
                }
                if (n == 0) {
                    return true;
                }
                buf.flip();
                if (stdout) {
                    if (!input(buf)) {
                        return false;
                    }
                    if (outKey.interestOps() == 0) {
                        return true; // paused: the client's queue is full
                    }
                } else {
                    stderr.accept(buf);
                }
                if (n < buf.capacity() && !(stdout && run.output().holdingHead())) {
                    return true; // the pipe is likely empty: wait for readiness, not a read of nothing
                }
            }
            return true;
        }

        private boolean input(ByteBuffer buf) {
            try {
                if (run.output().input(buf)) {
                    return true;
                }
            } catch (InterruptedException onLoopNeverWaits) {
                Thread.currentThread().interrupt();
            }
            endStdout(); // nobody wants more: the run kills the script
            readStderr();
            return false;
        }

        private void broken(IOException e) {
            if (stdout) {
                if (!run.killed()) {
                    Log.warn(CgiRun.LOG, "reading script output failed", "request", run.id(), "error", e.toString());
                    run.countFailure();
                }
                run.output().broken();
            }
            ended();
        }

        private void ended() {
            if (stdout) {
                endStdout();
                if (run.output().awaitingHead()) {
                    noHeadSince = loop.now();
                } else {
                    endOutput(null);
                }
                readStderr();
            } else {
                errEnded = true;
                stderr.end();
                loop.closeAfterDeregistration(errKey, () -> ScriptPipes.closeQuietly(pipes.stderr));
            }
        }

        @Override
        public void failed(RuntimeException fault) {
            run.kill();
        }

        @Override
        public void abandoned() {
            run.kill();
        }
    }

    private void endStdout() {
        if (!outEnded) {
            outEnded = true;
            loop.closeAfterDeregistration(outKey, () -> ScriptPipes.closeQuietly(pipes.stdout));
        }
    }

    /** Stdout ended: the output is told, with the exit status when it needs one. */
    private void endOutput(Integer status) {
        noHeadSince = -1;
        run.output().end(status);
        run.output().release();
    }

    /**
     * Once stdout ended: has the script exited? Asked now and then on a timer backing off from 1 ms to 10 ms (a
     * script that lingers is killed by the run's timeout; the slot it holds is free at most 10 ms after its exit).
     * The main part ends when the exit is seen and stderr ended.
     */
    private void lookForExit() {
        if (!outEnded || mainDone) {
            return;
        }
        if (exitStatus == null && !process.isAlive()) {
            exitStatus = process.exitValue();
            run.exited(exitStatus);
        }
        if (noHeadSince >= 0 && (exitStatus != null || loop.now() - noHeadSince >= PumpIo.EXIT_GRACE_MILLIS)) {
            endOutput(exitStatus);
        }
        if (exitStatus != null && errEnded) {
            if (exitPoll != null) {
                exitPoll.cancel();
            }
            mainDone = true;
            run.partDone();
            return;
        }
        if (exitStatus == null) {
            if (exitPoll == null) {
                exitPoll = loop.timer(this::lookForExit);
            }
            exitPoll.schedule(exitPollDelay);
            exitPollDelay = Math.min(MAX_EXIT_POLL_MILLIS, exitPollDelay * 2);
        }
    }

    /** From the run's timer: a script still running gets its stderr registered (see {@link #readStderr}). */
    @Override
    public boolean stderrRead() {
        if (pipes == null) {
            return false; // not started yet: the next firing looks again
        }
        readStderr();
        if (errEnded) {
            lookForExit();
        }
        return true;
    }

    @Override
    public void stopInput() {
        StdinWriter w = stdin;
        if (w != null) {
            run.onLoop(w::stop);
        }
    }

    /**
     * Stdout is read no more: a reader paused for a client that went away would never see its EOF. The exit is
     * looked for from now on; stderr is still read to its end (registered now if it was not).
     */
    @Override
    public void killed() {
        run.onLoop(() -> {
            if (pipes == null) {
                return;
            }
            if (!outEnded) {
                endStdout();
                run.output().release();
            }
            readStderr();
            lookForExit();
        });
    }

    @Override
    public void close() {
        ScriptPipes p = pipes;
        if (p != null) {
            run.onLoop(p::close);
        }
    }
}
