package org.liso.loop;

/** What a channel registered with an {@link EventLoop} does when the selector reports it ready. Loop thread only. */
@FunctionalInterface
public interface Readiness {
    /**
     * @param readyOps the ready set of the channel's key ({@code SelectionKey.OP_*} bits)
     */
    void ready(int readyOps);

    /**
     * Called when {@link #ready}, or a task or timer given to the loop with this as its owner, threw: the loop
     * survives every callback fault; the owner should close its channel (after a fault in {@code ready} the loop
     * closes it too). The default does nothing beyond the loop's own log line.
     */
    default void failed(RuntimeException fault) {
    }

    /**
     * The loop is stopping (a shutdown's grace period ended, or {@link EventLoop#stop}) with this channel still
     * registered: release everything it holds (open files, child processes, pooled buffers). The loop closes the
     * channel afterwards whatever this does. The default holds nothing beyond the channel.
     */
    default void abandoned() {
    }
}
