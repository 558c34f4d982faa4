package org.liso.cgi;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.channels.Channel;
import java.nio.channels.Pipe;
import java.nio.file.Files;
import java.nio.file.Path;
import org.liso.loop.JdkInternals;

/**
 * Makes a script's pipes as selectable channels, so the loop reads its stdout and stderr and writes its stdin itself
 * (bench/results/cgi.md: the pump threads' hand-offs were most of Liso's own CPU per request). The JDK's
 * {@code Process} pipes cannot be used: their descriptors are hidden, and on JDK 17 the process reaper drains and
 * closes a child's stdout when it exits, which would pull the descriptor from under a channel. So the pipes are
 * {@link Pipe#open()}'s (selectable), and the child gets the other ends: by descriptor number with Liso's own
 * posix_spawn, through {@code /proc/self/fd/N} redirects with the JDK's spawn. The number is the JDK's
 * {@code sun.nio.ch.SelChImpl.getFDVal()} ({@link JdkInternals#nioClass}); without it, or without /proc,
 * {@link #open} says why and the pump threads stay.
 */
final class PipeChannels {
    private static final Path PROC_FDS = Path.of("/proc/self/fd");

    private final Method fdVal;

    private PipeChannels(Method fdVal) {
        this.fdVal = fdVal;
    }

    /**
     * @throws UnsupportedOperationException saying why the pipes cannot be channels here
     */
    static PipeChannels open() {
        if (!Files.isDirectory(PROC_FDS)) {
            throw new UnsupportedOperationException("no " + PROC_FDS);
        }
        Class<?> selCh = JdkInternals.nioClass("SelChImpl");
        PipeChannels made;
        try {
            Method m = selCh.getMethod("getFDVal");
            m.setAccessible(true);
            made = new PipeChannels(m);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw JdkInternals.nioDiffers(e);
        }
        try (ScriptPipes probe = made.create(true)) {
            if (probe.childFds()[1] < 0) {
                throw new UnsupportedOperationException("no descriptor number for a pipe channel");
            }
        } catch (IOException e) {
            throw new UnsupportedOperationException("cannot open a pipe: " + e);
        }
        return made;
    }

    /** A run's pipes, our ends non-blocking; stdin only {@code withStdin}. */
    ScriptPipes create(boolean withStdin) throws IOException {
        return ScriptPipes.open(this, withStdin);
    }

    /** The descriptor number behind one of {@link Pipe}'s channels. */
    int fd(Channel ch) throws IOException {
        try {
            return (int) fdVal.invoke(ch);
        } catch (InvocationTargetException e) {
            throw new IOException("getFDVal failed", e.getCause());
        } catch (IllegalAccessException | RuntimeException e) {
            throw new IOException("getFDVal failed", e);
        }
    }
}
