package org.liso.loop;

import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/** An indexed binary min-heap of {@link Timer}s by deadline; each timer knows its slot, so removal is O(log n). */
final class TimerHeap {
    private Timer[] heap = new Timer[64];
    private int size;
    private final LongSupplier clock;

    TimerHeap(LongSupplier clock) {
        this.clock = clock;
    }

    long now() {
        return clock.getAsLong();
    }

    int size() {
        return size;
    }

    void arm(Timer t, long deadline) {
        if (t.index >= 0) {
            long old = t.deadline;
            t.deadline = deadline;
            if (deadline < old) {
                up(t.index);
            } else {
                down(t.index);
            }
            return;
        }
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        t.deadline = deadline;
        t.index = size;
        heap[size++] = t;
        up(t.index);
    }

    void remove(Timer t) {
        int i = t.index;
        Timer last = heap[--size];
        heap[size] = null;
        t.index = -1;
        if (i != size) {
            heap[i] = last;
            last.index = i;
            up(i);
            down(last.index);
        }
    }

    /** Milliseconds until the earliest deadline, 0 if one is due, -1 if none is armed. */
    long millisToNext(long now) {
        if (size == 0) {
            return -1;
        }
        return Math.max(0, heap[0].deadline - now);
    }

    /** Removes every timer whose deadline is at or before {@code now} and hands it to {@code fire}. */
    void runDue(long now, Consumer<Timer> fire) {
        while (size > 0 && heap[0].deadline <= now) {
            Timer t = heap[0];
            if (t.wanted > now) {
                arm(t, t.wanted); // pushed later since it was filed: re-file, don't fire
                continue;
            }
            remove(t);
            fire.accept(t);
        }
    }

    private void up(int i) {
        Timer t = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            Timer p = heap[parent];
            if (p.deadline <= t.deadline) {
                break;
            }
            heap[i] = p;
            p.index = i;
            i = parent;
        }
        heap[i] = t;
        t.index = i;
    }

    private void down(int i) {
        Timer t = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && heap[right].deadline < heap[child].deadline) {
                child = right;
            }
            if (t.deadline <= heap[child].deadline) {
                break;
            }
            heap[i] = heap[child];
            heap[i].index = i;
            i = child;
        }
        heap[i] = t;
        t.index = i;
    }
}
