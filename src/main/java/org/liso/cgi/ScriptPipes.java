package org.liso.cgi;

import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.nio.channels.Channel;
import java.nio.channels.Pipe;

/**
 * One script's stdin, stdout and stderr as {@link Pipe}s: our ends are selectable channels for the loop, the child's
 * ends go to the spawn ({@link #childFds} or {@link #redirect}) and are closed here once it has them
 * ({@link #closeChildEnds}), so that our reads see EOF when the script's side closes. A request without a body gives
 * the script /dev/null as stdin (it reads EOF at once, as from an empty pipe; lighttpd does the same): no pipe.
 */
final class ScriptPipes implements Closeable {
    static final File NO_INPUT = new File("/dev/null");

    /** Null when the request has no body. */
    final Pipe.SinkChannel stdin;
    final Pipe.SourceChannel stdout;
    final Pipe.SourceChannel stderr;
    private final Pipe.SourceChannel childStdin;
    private final Pipe.SinkChannel childStdout;
    private final Pipe.SinkChannel childStderr;
    /** The child's stdin (-1: /dev/null), stdout and stderr. */
    private final int[] childFds;

    private ScriptPipes(Pipe in, Pipe out, Pipe err, int[] childFds) {
        this.stdin = in == null ? null : in.sink();
        this.childStdin = in == null ? null : in.source();
        this.stdout = out.source();
        this.stderr = err.source();
        this.childStdout = out.sink();
        this.childStderr = err.sink();
        this.childFds = childFds;
    }

    /** @param withStdin the request has a body for the script to read */
    static ScriptPipes open(PipeChannels channels, boolean withStdin) throws IOException {
        Pipe in = null;
        Pipe out = null;
        Pipe err = null;
        try {
            in = withStdin ? Pipe.open() : null;
            out = Pipe.open();
            err = Pipe.open();
            int[] fds = {in == null ? -1 : channels.fd(in.source()), channels.fd(out.sink()), channels.fd(err.sink())};
            ScriptPipes p = new ScriptPipes(in, out, err, fds);
            if (p.stdin != null) {
                p.stdin.configureBlocking(false);
            }
            p.stdout.configureBlocking(false);
            p.stderr.configureBlocking(false);
            return p;
        } catch (IOException | RuntimeException e) {
            for (Pipe p : new Pipe[] {in, out, err}) {
                if (p != null) {
                    closeQuietly(p.source());
                    closeQuietly(p.sink());
                }
            }
            throw e;
        }
    }

    /** The child's ends, for dup2 onto 0, 1 and 2; -1 for stdin means /dev/null. */
    int[] childFds() {
        return childFds;
    }

    /**
     * Points the builder's three streams at the child's ends, through /proc/self/fd: the JDK opens them anew (a
     * pipe opened that way is the same pipe) and closes its copies after the spawn.
     */
    void redirect(ProcessBuilder b) {
        b.redirectInput(childFds[0] < 0 ? NO_INPUT : proc(childFds[0])).redirectOutput(proc(childFds[1]))
                .redirectError(proc(childFds[2]));
    }

    /** The child has its ends now (or never will): only the script holds them from here. */
    void closeChildEnds() {
        closeQuietly(childStdin);
        closeQuietly(childStdout);
        closeQuietly(childStderr);
    }

    @Override
    public void close() {
        closeChildEnds();
        closeQuietly(stdin);
        closeQuietly(stdout);
        closeQuietly(stderr);
    }

    private static File proc(int fd) {
        return new File("/proc/self/fd/" + fd);
    }

    static void closeQuietly(Channel c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (IOException ignored) {
            // a pipe end being discarded: nothing was pending on it
        }
    }
}
