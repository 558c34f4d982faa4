package org.liso.cgi;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.liso.Log;

/**
 * Chooses how scripts are started. On Java 22+ with glibc's posix_spawn reachable through the FFM API, Liso spawns
 * them itself ({@link PosixSpawn}): one exec, no helper, no reaper thread. Otherwise the JDK does
 * ({@link ProcessBuilder}, the tested fallback): on JDK 17–20 its Linux default, POSIX_SPAWN, execs the helper
 * {@code jspawnhelper} before the script (two execs per request), so VFORK (the default up to JDK 11, which execs the
 * script directly) is chosen there; measured, it halved the cost of a trivial CGI request (bench/results/cgi.md).
 * An explicit {@code -Djdk.lang.Process.launchMechanism} always wins and keeps the JDK's spawn.
 */
final class SpawnMechanism {
    static final String PROPERTY = "jdk.lang.Process.launchMechanism";
    private static final int LAST_FEATURE_RELEASE_WITH_VFORK_PREFERRED = 20;

    /** Starts a script's command. */
    interface Spawner {
        Process start(ScriptCommand command) throws IOException;

        /**
         * Starts it with its stdin, stdout and stderr on the child's ends of {@code pipes} (read on the loop): the
         * process then has no streams of its own. The JDK's spawn opens them through /proc/self/fd redirects.
         */
        default Process start(ScriptCommand command, ScriptPipes pipes) throws IOException {
            ProcessBuilder b = command.builder();
            pipes.redirect(b);
            return b.start();
        }

        /**
         * Whether the pumps may be virtual threads: a blocking read of the JDK's own process pipes releases its
         * carrier, one of ours (a FileInputStream) pins it, and two pinned reads (stdout, stderr) would take every
         * carrier of a 2-core machine, so the stdin pump feeding the script would never run.
         */
        default boolean virtualThreadsFit() {
            return true;
        }

        /** "posix_spawn" (Liso's own) or "jdk", for the log and tests. */
        default String name() {
            return "jdk";
        }
    }

    private SpawnMechanism() {
    }

    /**
     * The spawner for {@code script}. Liso's own only for a script the kernel can exec (a {@code #!} line or an ELF
     * binary): the JDK runs any other executable file with /bin/sh, as a shell does, which posix_spawn does not.
     */
    static Spawner choose(Path script) {
        String why;
        if (System.getProperty(PROPERTY) != null) {
            why = PROPERTY + " given";
        } else if (!kernelExecutable(script)) {
            why = "no #! line: the JDK runs it with /bin/sh";
        } else {
            try {
                PosixSpawn own = new PosixSpawn(Libc.open());
                Log.debug("cgi", "scripts start by posix_spawn (FFM)");
                return new Spawner() {
                    @Override
                    public Process start(ScriptCommand c) throws IOException {
                        try {
                            return own.start(c.command(), c.directory(), c.environment());
                        } catch (PosixSpawn.NotExecutable e) {
                            return c.startByJdk(); // it lost its #! line since: the JDK runs it with /bin/sh
                        }
                    }

                    @Override
                    public Process start(ScriptCommand c, ScriptPipes pipes) throws IOException {
                        try {
                            return own.start(c.command(), c.directory(), c.environment(), pipes.childFds());
                        } catch (PosixSpawn.NotExecutable e) {
                            return Spawner.super.start(c, pipes); // the JDK's spawn, through the redirects
                        }
                    }

                    @Override
                    public boolean virtualThreadsFit() {
                        return false;
                    }

                    @Override
                    public String name() {
                        return "posix_spawn";
                    }
                };
            } catch (UnsupportedOperationException e) {
                why = e.getMessage();
            }
        }
        prefer();
        Log.debug("cgi", "scripts start by the JDK", "mechanism", System.getProperty(PROPERTY, "default"),
                "because", why);
        return ScriptCommand::startByJdk;
    }

    /** Sets VFORK when nothing was chosen; takes effect only if this JVM has not started a process yet. */
    static void prefer() {
        if (System.getProperty(PROPERTY) == null
                && Runtime.version().feature() <= LAST_FEATURE_RELEASE_WITH_VFORK_PREFERRED) {
            System.setProperty(PROPERTY, "VFORK");
        }
    }

    private static boolean kernelExecutable(Path script) {
        byte[] head = new byte[4];
        int n;
        try (InputStream in = Files.newInputStream(script)) {
            n = in.readNBytes(head, 0, 4);
        } catch (IOException e) {
            return false;
        }
        return n >= 2 && head[0] == '#' && head[1] == '!'
                || n == 4 && head[0] == 0x7f && head[1] == 'E' && head[2] == 'L' && head[3] == 'F';
    }
}
