package org.liso.loop;

/** What a channel registered with an {@link EventLoop} does when the selector reports it ready. Loop thread only. */
@FunctionalInterface
public interface Readiness {
    /**
     * @param readyOps the ready set of the channel's key ({@code SelectionKey.OP_*} bits)
     */
    void ready(int readyOps);

    /**
     * Called when {@link #ready} threw: the loop survives every handler fault; the handler should close its channel.
     * The default does nothing beyond the loop's own log line.
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
