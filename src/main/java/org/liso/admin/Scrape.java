package org.liso.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.liso.loop.EventLoop;
import org.liso.loop.Timer;
import org.liso.server.HttpServer;
import org.liso.server.LoopSnapshot;

/**
 * One scrape: asks every server for a snapshot of its counters on its own loop, and once all have answered (on the
 * admin loop) hands them over. A loop that does not answer within {@link #TIMEOUT_MILLIS} (stuck in a callback) is
 * left out, so the scrape still says what the others know and how many were missing.
 */
final class Scrape {
    static final long TIMEOUT_MILLIS = 2_000;

    private final List<HttpServer> servers;
    private final EventLoop admin;
    private final Consumer<Snapshots> done;
    private final LoopSnapshot[] got;
    private int answered;
    private boolean finished;
    private Timer timer;

    /** The snapshots of the loops that answered, in loop order, and how many did not. */
    record Snapshots(List<LoopSnapshot> loops, int missing) {
    }

    Scrape(List<HttpServer> servers, EventLoop admin, Consumer<Snapshots> done) {
        this.servers = servers;
        this.admin = admin;
        this.done = done;
        this.got = new LoopSnapshot[servers.size()];
    }

    /** Admin loop thread. */
    void start() {
        timer = admin.timer(this::finish);
        timer.schedule(TIMEOUT_MILLIS);
        for (int i = 0; i < servers.size(); i++) {
            int slot = i;
            servers.get(i).snapshot(s -> admin.execute(() -> arrived(slot, s)));
        }
        if (servers.isEmpty()) {
            finish();
        }
    }

    private void arrived(int slot, LoopSnapshot s) {
        if (finished) {
            return;
        }
        got[slot] = s;
        if (++answered == got.length) {
            finish();
        }
    }

    private void finish() {
        if (finished) {
            return;
        }
        finished = true;
        timer.cancel();
        List<LoopSnapshot> loops = new ArrayList<>(got.length);
        for (LoopSnapshot s : got) {
            if (s != null) {
                loops.add(s);
            }
        }
        done.accept(new Snapshots(loops, got.length - loops.size()));
    }
}
