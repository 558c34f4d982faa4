package org.liso.admin;

/**
 * Whether the server still wants traffic: {@code /healthz} answers 200 while it serves and 503 from the moment a
 * shutdown was asked for (SIGTERM), while its listeners still serve through the drain delay. Set by the signal
 * thread, read by the admin loop: volatile.
 */
public final class Health {
    private volatile boolean draining;

    public void drain() {
        draining = true;
    }

    public boolean draining() {
        return draining;
    }
}
