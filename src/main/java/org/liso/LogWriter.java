package org.liso;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A log file written by a thread of its own, so no caller (above all no event loop) ever waits for a disk. Lines
 * queue in a bounded queue; when it is full a line is dropped and counted, and the count is reported once the
 * writer has caught up. {@link #reopen} (SIGHUP/USR1 after logrotate moved the file) and {@link #close} go through
 * the same thread, so they are ordered with the lines around them.
 *
 * <pre>
 *   OPEN --reopen()--> (flush, close, open the path again) --> OPEN
 *     \--close()--> (write what is queued, flush, close) --> CLOSED   (later lines are dropped)
 * </pre>
 */
public final class LogWriter implements Log.Sink, AutoCloseable {
    /** Lines queued at most; beyond it lines are dropped (and counted), never waited for. */
    public static final int DEFAULT_CAPACITY = 16_384;
    private static final long CLOSE_WAIT_MILLIS = 2_000;
    /** Markers compared by identity: they are never lines. */
    private static final String REOPEN = new String("reopen");
    private static final String STOP = new String("stop");

    private final String name;
    /** The file, or null for a stream; replaced by {@link #moveTo}, read by the writer thread when it reopens. */
    private volatile Path path;
    private final boolean closeStream;
    private final BlockingQueue<String> queue;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicBoolean reopenRequested = new AtomicBoolean();
    private final Thread thread;
    private volatile boolean closed;
    // writer thread only
    private OutputStream out;
    private boolean failing;

    private LogWriter(String name, Path path, OutputStream out, boolean closeStream, int capacity) {
        this.name = name;
        this.path = path;
        this.out = new BufferedOutputStream(out, 64 * 1024);
        this.closeStream = closeStream;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = new Thread(this::run, "log-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Appends to {@code file} (created if missing), reopened by {@link #reopen}.
     *
     * @throws IOException when the file cannot be opened now
     */
    public static LogWriter toFile(String name, Path file) throws IOException {
        return toFile(name, file, DEFAULT_CAPACITY);
    }

    static LogWriter toFile(String name, Path file, int capacity) throws IOException {
        return new LogWriter(name, file, new FileOutputStream(file.toFile(), true), true, capacity);
    }

    /** Writes to a stream the process does not own (stdout, stderr): flushed at the end, never closed or reopened. */
    public static LogWriter toStream(String name, OutputStream stream) {
        return toStream(name, stream, DEFAULT_CAPACITY);
    }

    static LogWriter toStream(String name, OutputStream stream, int capacity) {
        return new LogWriter(name, null, stream, false, capacity);
    }

    /** Queues {@code line} (without its newline); never blocks. */
    @Override
    public void line(String line) {
        if (closed || !queue.offer(line)) {
            dropped.incrementAndGet();
        }
    }

    /** Lines dropped so far and not yet reported. */
    public long dropped() {
        return dropped.get();
    }

    /** Closes and opens the file again by its path (after logrotate moved it away); a stream is only flushed. */
    public void reopen() {
        // In the queue, so every line queued after this call goes to the new file; a full queue falls back to a flag
        // seen after the current batch.
        if (!queue.offer(REOPEN)) {
            reopenRequested.set(true);
        }
    }

    /** Whether this writes to a file (which {@link #reopen} and {@link #moveTo} act on), not a stream. */
    public boolean isFile() {
        return path != null;
    }

    /**
     * Writes to {@code file} from the next queued line on (SIGHUP after the configuration named another file): the
     * file is opened here first, so one that cannot be written is an exception and the current file stays.
     *
     * @throws IOException when {@code file} cannot be opened for appending
     * @throws IllegalStateException on a writer to a stream
     */
    public void moveTo(Path file) throws IOException {
        if (path == null) {
            throw new IllegalStateException("a log on a stream cannot move to a file");
        }
        new FileOutputStream(file.toFile(), true).close();
        path = file;
        reopen();
    }

    /** Writes what is queued, flushes and closes (waits up to {@value #CLOSE_WAIT_MILLIS} ms); idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (!queue.offer(STOP, CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                thread.interrupt();
            }
            thread.join(CLOSE_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- writer thread ----

    private void run() {
        List<String> batch = new ArrayList<>(256);
        boolean stop = false;
        while (!stop) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                stop = true;
            }
            queue.drainTo(batch);
            for (String line : batch) {
                if (line == STOP) {
                    stop = true;
                } else if (line == REOPEN) {
                    flush();
                    reopenNow();
                } else {
                    write(line);
                }
            }
            batch.clear();
            reportDropped();
            flush();
            if (reopenRequested.getAndSet(false)) {
                reopenNow();
            }
        }
        finish();
    }

    private void write(String line) {
        if (out == null) {
            dropped.incrementAndGet();
            return;
        }
        try {
            out.write(line.getBytes(StandardCharsets.UTF_8));
            out.write('\n');
        } catch (IOException e) {
            writeFailed(e);
        }
    }

    private void flush() {
        if (out == null) {
            return;
        }
        try {
            out.flush();
            if (failing) {
                failing = false;
                say(Log.Level.INFO, name + " log writable again");
            }
        } catch (IOException e) {
            writeFailed(e);
        }
    }

    private void writeFailed(IOException e) {
        if (!failing) {
            failing = true;
            String message = "cannot write the " + name + " log, still serving";
            if (Log.sink() == this) {
                // The error log itself failed: stderr is the last place left to say it.
                System.err.println(Log.format(System.currentTimeMillis(), Log.Level.ERROR, "log", message,
                        "error", e.getMessage()));
            } else {
                Log.error("log", message, "error", e.getMessage());
            }
        }
    }

    private void reportDropped() {
        long n = dropped.getAndSet(0);
        if (n == 0) {
            return;
        }
        say(Log.Level.WARN, name + " log lines dropped, its queue was full", "count", n);
    }

    /** A line about this log goes to the error log: into this file when it is the error log, else through Log. */
    private void say(Log.Level level, String message, Object... kv) {
        if (Log.sink() == this) {
            write(Log.format(System.currentTimeMillis(), level, "log", message, kv));
        } else {
            Log.log(level, "log", message, kv);
        }
    }

    private void reopenNow() {
        if (path == null) {
            return;
        }
        closeQuietly();
        try {
            out = new BufferedOutputStream(new FileOutputStream(path.toFile(), true), 64 * 1024);
            say(Log.Level.INFO, "log reopened", "log", name, "file", path);
            flush();
        } catch (IOException e) {
            out = null;
            writeFailed(e);
        }
    }

    private void finish() {
        // After an interrupted close, what is still queued is written rather than lost.
        for (String line; (line = queue.poll()) != null; ) {
            if (line != STOP && line != REOPEN) {
                write(line);
            }
        }
        flush();
        if (closeStream) {
            closeQuietly();
        }
    }

    private void closeQuietly() {
        if (out == null) {
            return;
        }
        try {
            out.close();
        } catch (IOException e) {
            writeFailed(e);
        }
        out = null;
    }
}
