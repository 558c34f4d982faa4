package org.liso.cgi;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/**
 * A child started by {@link PosixSpawn}, as a {@link Process}: no JDK reaper thread watches it, so the thread that
 * waits ({@link #waitFor()}) blocks in {@code waitid(WNOWAIT)} itself and then reaps it. Reaping and signalling hold
 * this object's lock, so no signal can reach a reused pid. Exit values follow the JDK's: the status, or 128 + the
 * signal that ended it.
 */
final class SpawnedProcess extends Process {
    private static final int P_PID = 1;
    private static final int WNOHANG = 1;
    private static final int WEXITED = 4;
    private static final int WNOWAIT = 0x01000000;
    private static final int SIGKILL = 9;
    private static final int SIGTERM = 15;
    /** siginfo_t is 128 bytes on Linux. */
    private static final int SIGINFO_BYTES = 128;

    private final Libc c;
    private final int pid;
    private final OutputStream stdin;
    private final InputStream stdout;
    private final InputStream stderr;
    // guarded by this
    /** Made when first asked for (reading /proc costs a request's worth of syscalls), never after the reaping. */
    private Optional<ProcessHandle> handle;
    private boolean reaped;
    private int exitValue;

    SpawnedProcess(Libc c, int pid, OutputStream stdin, InputStream stdout, InputStream stderr) {
        this.c = c;
        this.pid = pid;
        this.stdin = stdin;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    @Override
    public OutputStream getOutputStream() {
        return stdin;
    }

    @Override
    public InputStream getInputStream() {
        return stdout;
    }

    @Override
    public InputStream getErrorStream() {
        return stderr;
    }

    /** Blocks in waitid without reaping (so signals stay safe meanwhile), then reaps under the lock. */
    @Override
    public int waitFor() throws InterruptedException {
        while (true) {
            Integer code = reapIfExited();
            if (code != null) {
                return code;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            if (!blockUntilExited() && handle().map(h -> !h.isAlive()).orElse(true)) {
                // waitid failed and the child is gone: someone else reaped it (SIGCHLD ignored); status unknown
                synchronized (this) {
                    reaped = true;
                    exitValue = 128 + SIGKILL;
                    return exitValue;
                }
            }
        }
    }

    @Override
    public int exitValue() {
        Integer code = reapIfExited();
        if (code == null) {
            throw new IllegalThreadStateException("process " + pid + " has not exited");
        }
        return code;
    }

    @Override
    public boolean isAlive() {
        return reapIfExited() == null;
    }

    @Override
    public void destroy() {
        signal(SIGTERM);
    }

    @Override
    public Process destroyForcibly() {
        signal(SIGKILL);
        return this;
    }

    @Override
    public boolean supportsNormalTermination() {
        return true;
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public ProcessHandle toHandle() {
        return handle().orElseThrow(() -> new IllegalStateException("process " + pid + " has exited"));
    }

    /** Present until reaped: the child (or its zombie) holds the pid, so it cannot name another process. */
    private synchronized Optional<ProcessHandle> handle() {
        if (handle == null && !reaped) {
            handle = ProcessHandle.of(pid);
        }
        return handle == null ? Optional.empty() : handle;
    }

    @Override
    public String toString() {
        return "SpawnedProcess[pid=" + pid + "]";
    }

    private synchronized void signal(int signal) {
        if (!reaped) {
            try {
                c.kill.invoke(pid, signal);
            } catch (Throwable e) {
                throw new IllegalStateException("kill failed", e);
            }
        }
    }

    /** The exit value, reaping the child if it has exited; null while it runs. */
    private synchronized Integer reapIfExited() {
        if (reaped) {
            return exitValue;
        }
        try {
            Object status = c.statusWord();
            if ((int) c.waitpid.invoke(pid, status, WNOHANG) != pid) {
                return null;
            }
            int s = c.getInt(status, 0);
            exitValue = (s & 0x7f) == 0 ? (s >> 8) & 0xff : 128 + (s & 0x7f);
            reaped = true;
            return exitValue;
        } catch (Throwable e) {
            throw new IllegalStateException("waitpid failed", e);
        }
    }

    /** True once the child has exited (not reaped); false when waitid failed (EINTR, ECHILD). */
    private boolean blockUntilExited() {
        try {
            Object arena = c.arena();
            try {
                return (int) c.waitid.invoke(P_PID, pid, c.allocate(arena, SIGINFO_BYTES), WEXITED | WNOWAIT) == 0;
            } finally {
                c.release(arena);
            }
        } catch (Throwable e) {
            throw new IllegalStateException("waitid failed", e);
        }
    }

    /** Undoes a spawn whose streams could not be opened. */
    static void killAndReap(Libc c, int pid) throws Throwable {
        c.kill.invoke(pid, SIGKILL);
        Object arena = c.arena();
        try {
            c.waitpid.invoke(pid, c.allocate(arena, 4), 0);
        } finally {
            c.release(arena);
        }
    }
}
