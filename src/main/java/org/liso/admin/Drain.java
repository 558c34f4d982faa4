package org.liso.admin;

import java.util.concurrent.atomic.AtomicBoolean;
import org.liso.Log;
import org.liso.loop.EventLoop;

/**
 * What SIGTERM starts: {@code /healthz} turns 503 at once, every listener keeps serving for the drain delay (so a load
 * balancer, at its next check, stops sending new clients) with {@code Connection: close} on each response (so its
 * pooled keep-alive connections move elsewhere rather than be closed under a request), then the graceful shutdown
 * runs. A second signal during
 * the delay cuts it short: the operator who presses Ctrl-C twice means now.
 *
 * <pre>
 *   SERVING --signal--> DRAINING (503, listeners open) --delay over, or a second signal--> SHUTTING DOWN
 * </pre>
 */
public final class Drain {
    private static final String LOG = "drain";

    private final Health health;
    private final long delayMillis;
    private final EventLoop timerLoop;
    private final Runnable shutdown;
    private final Runnable onDrain;
    private final AtomicBoolean begun = new AtomicBoolean();
    private final AtomicBoolean shutDown = new AtomicBoolean();

    /**
     * @param timerLoop the loop whose timer keeps the delay
     * @param onDrain   what else turns at the signal (the servers' responses start to close their connections)
     * @param shutdown  the graceful shutdown (listeners close, responses in flight finish), from any thread
     */
    public Drain(Health health, long delayMillis, EventLoop timerLoop, Runnable onDrain, Runnable shutdown) {
        this.health = health;
        this.onDrain = onDrain;
        this.delayMillis = delayMillis;
        this.timerLoop = timerLoop;
        this.shutdown = shutdown;
    }

    /** The signal: any thread (the JVM's signal thread). */
    public void begin() {
        if (!begun.compareAndSet(false, true)) {
            if (!shutDown.get()) {
                Log.info(LOG, "second signal: shutting down without waiting for the drain delay");
            }
            shutDownNow();
            return;
        }
        onDrain.run(); // first: whoever sees the 503 must find the servers draining too
        health.drain();
        if (delayMillis == 0) {
            shutDownNow();
            return;
        }
        Log.info(LOG, "draining: /healthz answers 503, listeners stay open", "drain_delay_ms", delayMillis);
        timerLoop.execute(() -> timerLoop.timer(this::shutDownNow).schedule(delayMillis));
    }

    private void shutDownNow() {
        if (shutDown.compareAndSet(false, true)) {
            shutdown.run();
        }
    }
}
