package org.liso.cgi;

import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Starts a script with glibc's {@code posix_spawn} through the FFM API (Java 22+): one {@code clone(CLONE_VFORK)}
 * and one exec of the script, its descriptors above 2 closed by {@code close_range} (addclosefrom_np), no helper
 * process and no /proc scan in the child, and no JDK reaper thread: the {@link SpawnedProcess} is reaped by whoever
 * waits for it (the pump launcher's waitFor, or the loop asking isAlive). The JDK's own spawn on 22+ goes through
 * {@code jspawnhelper} (two execs) and a reaper thread per process (bench/results/cgi.md). Behaves as
 * {@link ProcessBuilder#start()} does for what CgiRun asks of it: argv, working directory, exactly the given
 * environment, three pipes (or the caller's), IOException when exec fails.
 */
final class PosixSpawn {
    private static final int O_CLOEXEC = 0x80000;
    private static final int O_RDONLY = 0;
    private static final int ENOEXEC = 8;
    /** glibc's posix_spawn_file_actions_t is 80 bytes on x86-64 and arm64; room to spare. */
    private static final int FILE_ACTIONS_BYTES = 256;

    private final Libc c;
    /** How the JDK encodes argv and the environment for exec (sun.jnu.encoding), so scripts see the same bytes. */
    private final Charset encoding;

    PosixSpawn(Libc c) {
        this.c = c;
        Charset jnu;
        try {
            jnu = Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
        } catch (RuntimeException unknown) {
            jnu = StandardCharsets.UTF_8;
        }
        this.encoding = jnu;
    }

    /** Starts {@code command} in {@code directory} with exactly {@code environment}; stdin, stdout, stderr piped. */
    Process start(List<String> command, File directory, Map<String, String> environment) throws IOException {
        return start(command, directory, environment, null);
    }

    /**
     * As {@link #start(List, File, Map)}, the child's stdin, stdout and stderr being {@code childFds} (the caller's
     * pipes, read on the loop: the process then has no streams of its own; stdin -1 is /dev/null), or three new
     * pipes when null.
     */
    Process start(List<String> command, File directory, Map<String, String> environment, int[] childFds)
            throws IOException {
        try {
            return spawn(command, directory, environment, childFds);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) { // MethodHandle.invoke's checked Throwable
            throw new IOException("posix_spawn failed: " + e, e);
        }
    }

    private Process spawn(List<String> command, File directory, Map<String, String> environment, int[] childFds)
            throws Throwable {
        Object arena = c.arena();
        int[] fds = {-1, -1, -1, -1, -1, -1}; // stdin r/w, stdout r/w, stderr r/w
        int[] child = childFds == null ? new int[] {-1, -1, -1} : childFds;
        try {
            Object pair = c.allocate(arena, 8);
            for (int k = 0; childFds == null && k < 3; k++) {
                if ((int) c.pipe2.invoke(pair, O_CLOEXEC) != 0) {
                    throw new IOException("pipe2 failed (too many open files?)");
                }
                fds[2 * k] = c.getInt(pair, 0);
                fds[2 * k + 1] = c.getInt(pair, 4);
                child[k] = fds[k == 0 ? 0 : 2 * k + 1];
            }
            Object actions = c.allocate(arena, FILE_ACTIONS_BYTES);
            if ((int) c.actionsInit.invoke(actions) != 0) {
                throw new IOException("posix_spawn_file_actions_init failed");
            }
            int pid;
            try {
                int rc = child[0] < 0 // no request body: the child opens /dev/null itself
                        ? (int) c.addOpen.invoke(actions, 0, c.cString(arena, bytes(ScriptPipes.NO_INPUT.getPath())),
                                O_RDONLY, 0)
                        : (int) c.addDup2.invoke(actions, child[0], 0);
                rc |= (int) c.addDup2.invoke(actions, child[1], 1);
                rc |= (int) c.addDup2.invoke(actions, child[2], 2);
                rc |= (int) c.addCloseFrom.invoke(actions, 3);
                rc |= (int) c.addChdir.invoke(actions, c.cString(arena, bytes(directory.getPath())));
                if (rc != 0) {
                    throw new IOException("posix_spawn_file_actions failed");
                }
                byte[][] argv = command.stream().map(this::bytes).toArray(byte[][]::new);
                byte[][] envp = environment.entrySet().stream()
                        .map(e -> bytes(e.getKey() + "=" + e.getValue())).toArray(byte[][]::new);
                Object pidOut = c.allocate(arena, 4);
                int error = (int) c.spawn.invoke(pidOut, c.cString(arena, argv[0]), actions, c.nullPointer(),
                        c.cStringArray(arena, argv), c.cStringArray(arena, envp));
                if (error == ENOEXEC) {
                    throw new NotExecutable();
                }
                if (error != 0) {
                    throw new IOException("Cannot run program \"" + command.get(0) + "\" (in directory \""
                            + directory + "\"): error=" + error + ", " + Errno.describe(error));
                }
                pid = c.getInt(pidOut, 0);
            } finally {
                c.actionsDestroy.invoke(actions);
            }
            if (childFds != null) {
                return new SpawnedProcess(c, pid, OutputStream.nullOutputStream(), InputStream.nullInputStream(),
                        InputStream.nullInputStream());
            }
            return streams(pid, fds);
        } finally {
            for (int fd : fds) {
                // the child has its ends; the parent keeps only the reopened streams
                if (fd >= 0) {
                    c.close.invoke(fd);
                }
            }
            c.release(arena);
        }
    }

    /**
     * Our ends, opened anew through /proc while the child's ends are still open here (opening a pipe that way waits
     * for its other side): Java streams without a FileDescriptor of our making. If that fails the child is killed.
     */
    private Process streams(int pid, int[] fds) throws Throwable {
        FileOutputStream stdin = null;
        FileInputStream stdout = null;
        try {
            stdin = new FileOutputStream(fd(fds[1]));
            stdout = new FileInputStream(fd(fds[2]));
            return new SpawnedProcess(c, pid, stdin, stdout, new FileInputStream(fd(fds[4])));
        } catch (IOException | RuntimeException e) {
            for (java.io.Closeable opened : new java.io.Closeable[] {stdin, stdout}) {
                if (opened != null) {
                    opened.close();
                }
            }
            SpawnedProcess.killAndReap(c, pid);
            throw e;
        }
    }

    private static String fd(int fd) {
        return "/proc/self/fd/" + fd;
    }

    private byte[] bytes(String s) {
        return s.getBytes(encoding);
    }

    /** The kernel cannot exec the file (no {@code #!} line, not ELF): a shell would run it with /bin/sh. */
    static final class NotExecutable extends IOException {
        NotExecutable() {
            super("Exec format error");
        }
    }

    /** The few errno values exec reports, worded as the JDK words them. */
    static final class Errno {
        private static final Map<Integer, String> TEXT = Map.of(1, "Operation not permitted", 2,
                "No such file or directory", 8, "Exec format error", 12, "Cannot allocate memory", 13,
                "Permission denied", 20, "Not a directory", 24, "Too many open files", 26, "Text file busy");

        private Errno() {
        }

        static String describe(int errno) {
            return TEXT.getOrDefault(errno, "errno " + errno);
        }
    }
}
