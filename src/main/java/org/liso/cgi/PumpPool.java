package org.liso.cgi;

import java.lang.reflect.Method;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.liso.Log;

/**
 * The threads that move bytes between script pipes and the loop (Java's Process pipes are not selectable). On a
 * JDK with virtual threads (21+) each pump is one, unless the pipes' reads would pin their carriers; otherwise a
 * platform pool whose size is three pumps (stdin, stdout, stderr) per allowed script, so a task is never rejected
 * while the process limit holds.
 */
final class PumpPool {
    private static final long IDLE_SECONDS = 30;

    private PumpPool() {
    }

    /** @param virtualAllowed false when the pipes' reads would pin a virtual thread's carrier */
    static ExecutorService create(int maxProcesses, boolean virtualAllowed) {
        ExecutorService virtual = virtualAllowed ? virtualThreads() : null;
        if (virtual != null) {
            Log.debug("cgi", "pumps run on virtual threads");
            return virtual;
        }
        AtomicInteger n = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "cgi-pump-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        ThreadPoolExecutor pool = new ThreadPoolExecutor(0, 3 * maxProcesses + 3, IDLE_SECONDS, TimeUnit.SECONDS,
                new SynchronousQueue<>(), factory);
        return pool;
    }

    /** {@code Executors.newVirtualThreadPerTaskExecutor()} when the running JDK has it (we compile for 17). */
    private static ExecutorService virtualThreads() {
        try {
            Method m = java.util.concurrent.Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
            return (ExecutorService) m.invoke(null);
        } catch (ReflectiveOperationException | RuntimeException absent) {
            return null;
        }
    }
}
