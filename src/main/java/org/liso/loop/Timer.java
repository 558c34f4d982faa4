package org.liso.loop;

/**
 * A re-armable one-shot timer owned by one {@link EventLoop}. Arming, re-arming and cancelling are O(log n) and
 * allocate nothing, so a connection can push its idle deadline forward on every request for free.
 *
 * <p>Loop thread only.
 */
public final class Timer {
    final TimerHeap heap;
    final Runnable action;
    long deadline;
    /** Position in the heap array, or -1 when not armed. */
    int index = -1;

    Timer(TimerHeap heap, Runnable action) {
        this.heap = heap;
        this.action = action;
    }

    /** Fires {@code delayMillis} from the loop's current time, replacing any earlier arming. */
    public void schedule(long delayMillis) {
        heap.arm(this, heap.now() + delayMillis);
    }

    public void cancel() {
        if (index >= 0) {
            heap.remove(this);
        }
    }

    public boolean armed() {
        return index >= 0;
    }
}
