package org.liso.loop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.liso.Log;

/**
 * One thread, one {@link Selector}: every channel registered here is touched only by the loop thread. Other threads
 * hand work in with {@link #execute}, which queues the task and wakes the selector.
 *
 * <pre>
 *   RUNNING --shutdown(grace)--> DRAINING --no live work or grace over--> STOPPED
 *      \______________________stop()______________________________________/^
 * </pre>
 *
 * <p>The task queue is unbounded in type but bounded in use: a body streamed from another thread (a handler's
 * {@code StreamBody}, CGI's pump threads where the loop cannot move a script's pipes itself) waits for the loop to
 * take its previous chunk before it hands in another, and the other foreign tasks come at most a few per connection
 * or per event (a FastCGI slot passed from another loop, a shutdown, a metrics snapshot, a CGI start that failed).
 */
public final class EventLoop implements Executor {

    /** Loop lifecycle. */
    enum State { NEW, RUNNING, DRAINING, STOPPED }

    private static final String LOG = "loop";

    private final Selector selector;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    private final TimerHeap timers;
    private final List<Runnable> shutdownHooks = new ArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final String name;
    private volatile Thread thread;
    private volatile State state = State.NEW;
    private long now;
    /** True while the loop blocks in select: the first readiness handled afterwards refreshes {@link #now}. */
    private boolean clockStale;
    /** {@link System#nanoTime} when select handed over the current batch of ready keys. */
    private long batchStart;
    private final LagHistogram lag = new LagHistogram();
    private long drainDeadline;
    private int liveWork;
    private final Consumer<Timer> fireTimer = t -> call(t.owner, null, t.action, 0);
    /** Closes asked for since the last select: their keys are cancelled, the selector has not dropped them yet. */
    private List<Runnable> closesAsked = new ArrayList<>();
    /** Closes whose keys the select running now drops: run when it returns. */
    private List<Runnable> closesDue = new ArrayList<>();

    public EventLoop(String name) throws IOException {
        this.name = name;
        this.selector = Selector.open();
        // The JDK opens descriptors of its own the first time any socket is closed (sun.nio.ch.FileDispatcherImpl's
        // initialiser). Were that first close to happen while the process is out of descriptors (EMFILE under a
        // connection flood), the class would fail to initialise and every later close would throw
        // NoClassDefFoundError out of select(), killing the loop. Close one socket now, while descriptors are free.
        SocketChannel.open().close();
        this.now = System.nanoTime() / 1_000_000;
        this.timers = new TimerHeap(() -> now);
    }

    public String name() {
        return name;
    }

    /** Queues {@code task} to run on the loop thread; safe from any thread. A fault in it is logged. */
    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        if (Thread.currentThread() != thread && wakeupPending.compareAndSet(false, true)) {
            selector.wakeup();
        }
    }

    /** Like {@link #execute(Runnable)}, for a task of {@code owner}'s: a fault in it fails {@code owner}. */
    public void execute(Readiness owner, Runnable task) {
        execute(new OwnedTask(owner, task));
    }

    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /**
     * Time from readiness to its callback on this loop. Loop thread only: read it from a task {@link #execute}d here.
     */
    public LagHistogram lag() {
        return lag;
    }

    /** The loop's clock in milliseconds (monotonic), refreshed once per iteration. */
    public long now() {
        return now;
    }

    /** A new timer that runs {@code action} on the loop thread when it fires. Loop thread only. */
    public Timer timer(Runnable action) {
        return new Timer(timers, null, action);
    }

    /** A new timer of {@code owner}'s: a fault in {@code action} fails {@code owner}. Loop thread only. */
    public Timer timer(Readiness owner, Runnable action) {
        return new Timer(timers, owner, action);
    }

    /** Registers {@code channel} (already non-blocking) with the selector. Loop thread only. */
    public SelectionKey register(SelectableChannel channel, int ops, Readiness readiness) throws ClosedChannelException {
        return channel.register(selector, ops, readiness);
    }

    /**
     * Hands {@code key}'s owner the readiness {@code readyOps} now, under the guard every callback runs under, as if
     * the selector had reported it. For a channel whose input is most likely there already (a connection just
     * accepted, whose client sent its request with the handshake): the JDK adds a key to epoll only at the next
     * select, so a connection served and closed before then costs no epoll_ctl at all, and no wait in epoll for a
     * readiness that has already happened. Loop thread only.
     */
    public void readyNow(SelectionKey key, int readyOps) {
        if (key.isValid()) {
            call((Readiness) key.attachment(), key, null, readyOps);
        }
    }

    /**
     * Runs {@code close} (a channel's close) once the selector has dropped the channel's key, which {@code key}'s
     * owner has just cancelled: right after the next select, which is made not to block while closes wait. Loop
     * thread only.
     *
     * <p>Closing a channel the selector still holds costs two syscalls more per connection: the JDK then defers the
     * descriptor's close to the selector and meanwhile reads SO_LINGER and shuts the socket down for writing, so that
     * the peer sees the FIN at once (sun.nio.ch.SocketChannelImpl#implCloseNonBlockingMode). Once the key is dropped
     * the channel is no longer registered and closes directly: 2 syscalls of the 10 or 12 a connection-per-request
     * costs (bench/results/profile-http.md).
     */
    public void closeAfterDeregistration(SelectionKey key, Runnable close) {
        if (key == null || state == State.STOPPED) {
            close.run();
            return;
        }
        key.cancel();
        closesAsked.add(close);
    }

    /** Runs {@code hook} on the loop thread when a graceful shutdown begins (listeners close, servers drain). */
    public void onShutdown(Runnable hook) {
        shutdownHooks.add(hook);
    }

    /**
     * Counts work that a graceful shutdown waits for (open connections with queued output); the loop stops draining
     * when the count is back to zero.
     */
    public void liveWork(int delta) {
        liveWork += delta;
    }

    /** Runs the loop on the calling thread until {@link #stop} or a finished {@link #shutdown}. */
    public void run() {
        thread = Thread.currentThread();
        state = State.RUNNING;
        try {
            while (state != State.STOPPED) {
                now = System.nanoTime() / 1_000_000;
                long timeout = timers.millisToNext(now);
                if (state == State.DRAINING) {
                    // The grace period ends on time even when no timer is due before it (a CGI timeout 30 s out).
                    long left = Math.max(1, drainDeadline - now);
                    timeout = timeout < 0 ? left : Math.min(timeout, left);
                }
                if (!tasks.isEmpty() || !closesAsked.isEmpty()) {
                    timeout = 0;
                }
                List<Runnable> due = closesAsked;
                closesAsked = closesDue;
                closesDue = due;
                select(timeout);
                runCloses();
                now = System.nanoTime() / 1_000_000;
                runTasks();
                timers.runDue(now, fireTimer);
                if (state == State.DRAINING && (liveWork <= 0 || now >= drainDeadline)) {
                    if (liveWork > 0) {
                        Log.warn(LOG, "shutdown grace period over, closing", "connections", liveWork);
                    }
                    state = State.STOPPED;
                }
            }
        } finally {
            closeAll();
            stopped.countDown();
        }
    }

    private void select(long timeout) {
        clockStale = true;
        try {
            if (timeout == 0) {
                selector.selectNow(this::dispatch);
            } else {
                selector.select(this::dispatch, timeout < 0 ? 0 : timeout);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("selector failed", e);
        }
        wakeupPending.set(false);
    }

    private void dispatch(SelectionKey key) {
        long t = System.nanoTime();
        if (clockStale) {
            // Timers armed by handlers (a new connection's handshake or idle timeout) must count from the moment of
            // the event, not from before a select that may have slept for seconds.
            now = t / 1_000_000;
            batchStart = t;
            clockStale = false;
        }
        lag.record(t - batchStart);
        Readiness r = (Readiness) key.attachment();
        int ops;
        try {
            ops = key.readyOps();
        } catch (java.nio.channels.CancelledKeyException e) {
            return;
        }
        call(r, key, null, ops);
    }

    /** The closes asked for before the select that just returned (it dropped their keys). */
    private void runCloses() {
        for (int i = 0; i < closesDue.size(); i++) {
            call(null, null, closesDue.get(i), 0);
        }
        closesDue.clear();
    }

    private void runTasks() {
        // Bounded per iteration so a storm of tasks cannot starve I/O.
        for (int n = tasks.size(); n > 0; n--) {
            Runnable t = tasks.poll();
            if (t == null) {
                break;
            }
            call(t instanceof OwnedTask o ? o.owner : null, null, t, 0);
        }
    }

    /**
     * The one guard every callback of the loop runs under: {@code callback}, or when it is null
     * {@code owner.ready(readyOps)}. A fault is logged once; it fails its owner, if it has one, and closes its channel,
     * if it has one; the loop goes on.
     */
    private void call(Readiness owner, SelectionKey key, Runnable callback, int readyOps) {
        try {
            if (callback != null) {
                callback.run();
            } else {
                owner.ready(readyOps);
            }
        } catch (RuntimeException fault) {
            StackTraceElement[] at = fault.getStackTrace();
            Log.error(LOG, owner == null ? "callback fault" : "callback fault, closing its connection",
                    "error", fault.toString(), "at", at.length > 0 ? at[0].toString() : "?");
            if (owner != null) {
                try {
                    owner.failed(fault);
                } catch (RuntimeException again) {
                    Log.error(LOG, "callback fault while failing", "error", again.toString());
                }
            }
            if (key != null) {
                closeQuietly(key);
            }
        }
    }

    /** A task whose fault is its owner's (a connection's): the owner is failed, not just the task logged. */
    private record OwnedTask(Readiness owner, Runnable task) implements Runnable {
        @Override
        public void run() {
            task.run();
        }
    }

    /**
     * Begins a graceful shutdown from any thread: shutdown hooks run (listeners stop accepting, idle connections
     * close), then the loop waits up to {@code graceMillis} for live work to finish, then stops.
     */
    public void shutdown(long graceMillis) {
        execute(() -> {
            if (state != State.RUNNING) {
                return;
            }
            state = State.DRAINING;
            drainDeadline = now + graceMillis;
            for (Runnable hook : shutdownHooks) {
                try {
                    hook.run();
                } catch (RuntimeException fault) {
                    Log.error(LOG, "shutdown hook fault", "error", fault.toString());
                }
            }
        });
    }

    /**
     * Stops at once from any thread: every registered channel's handler is {@linkplain Readiness#abandoned told}
     * (so it releases files and processes), then the channel is closed.
     */
    public void stop() {
        execute(() -> state = State.STOPPED);
    }

    /** Waits for the loop thread to finish; true when it did within the time. */
    public boolean awaitStop(long millis) throws InterruptedException {
        return stopped.await(millis, TimeUnit.MILLISECONDS);
    }

    public boolean isShuttingDown() {
        return state == State.DRAINING || state == State.STOPPED;
    }

    private void closeAll() {
        state = State.STOPPED; // also after a fault: from here on every close is done at once
        runCloses();
        closesDue = closesAsked;
        runCloses();
        for (SelectionKey key : new ArrayList<>(selector.keys())) {
            if (key.attachment() instanceof Readiness r) {
                try {
                    r.abandoned();
                } catch (RuntimeException fault) {
                    Log.error(LOG, "handler fault while closing", "error", fault.toString());
                }
            }
            closeQuietly(key);
        }
        try {
            selector.close();
        } catch (IOException e) {
            Log.warn(LOG, "closing selector failed", "error", e.toString());
        }
    }

    private static void closeQuietly(SelectionKey key) {
        key.cancel();
        try {
            key.channel().close();
        } catch (IOException ignored) {
            // closing is best effort; the channel is gone either way
        }
    }
}
