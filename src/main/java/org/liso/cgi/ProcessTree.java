package org.liso.cgi;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A script and every process it started. Java cannot signal a process group (scripts share the server's), so the
 * tree is walked: listed children first, because once the script is dead they are re-parented and no longer its
 * descendants. Listing reads all of /proc: never on a loop thread.
 */
final class ProcessTree {
    private ProcessTree() {
    }

    /** The processes of {@code p}'s tree now, children first, {@code p} last; none once {@code p} is reaped. */
    static List<ProcessHandle> of(Process p) {
        List<ProcessHandle> tree = new ArrayList<>();
        try {
            p.descendants().forEach(tree::add);
            tree.add(p.toHandle());
        } catch (IllegalStateException reaped) { // a SpawnedProcess reaped meanwhile: its pid names nothing now
            return List.of();
        }
        return tree;
    }

    /** Waits until every process in {@code processes} has exited, or {@code millis} have passed. */
    static void awaitExit(List<ProcessHandle> processes, long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        for (ProcessHandle h : processes) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            try {
                h.onExit().get(left, TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
