package org.liso.loop;

/**
 * The {@code --max-connections} bound shared by a loop's listeners. Over the bound a new connection is accepted and
 * closed at once (the client sees an immediate close instead of a hang in the backlog). Loop thread only.
 */
public final class ConnectionBudget {
    public static final int DEFAULT_MAX = 1024;

    private final int max;
    private int open;

    public ConnectionBudget(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max-connections must be at least 1, was " + max);
        }
        this.max = max;
    }

    public boolean tryAcquire() {
        if (open >= max) {
            return false;
        }
        open++;
        return true;
    }

    public void release() {
        open--;
    }

    public int open() {
        return open;
    }

    public int max() {
        return max;
    }
}
