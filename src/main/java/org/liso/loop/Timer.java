package org.liso.loop;

/**
 * A re-armable one-shot timer owned by one {@link EventLoop}. Nothing allocates. Moving a deadline later — what a
 * connection does on every event — is O(1): the timer keeps its place in the heap and only records the wanted
 * time; when the old place comes due the heap re-files it instead of firing. Arming, moving earlier and cancelling
 * are O(log n).
 *
 * <p>Loop thread only.
 */
public final class Timer {
    final TimerHeap heap;
    /** What a fault of {@link #action} fails (a connection), or null when it belongs to no channel. */
    final Readiness owner;
    final Runnable action;
    /** Where the timer sits in the heap; never later than {@link #wanted}. */
    long deadline;
    /** When the action should really run. */
    long wanted;
    /** Position in the heap array, or -1 when not armed. */
    int index = -1;

    Timer(TimerHeap heap, Readiness owner, Runnable action) {
        this.heap = heap;
        this.owner = owner;
        this.action = action;
    }

    /** Fires {@code delayMillis} from the loop's current time, replacing any earlier arming. */
    public void schedule(long delayMillis) {
        long at = heap.now() + delayMillis;
        wanted = at;
        if (index < 0 || at < deadline) {
            heap.arm(this, at);
        }
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
