package org.liso.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayDeque;
import java.util.Arrays;
import org.liso.transport.Transport;

/**
 * What a connection still has to send, in order: byte buffers and file regions. Consecutive buffers go out in one
 * gathering write (a response head and its small body, or several pipelined responses, in one syscall); file regions
 * go through {@link Transport#transferFrom} (zero-copy on plain TCP). Only bytes held in memory count towards the
 * connection's high watermark; a file region holds an open file, not its bytes.
 *
 * <p>Body bytes may be counted: each is added with the {@link Sent} of its response, which grows by what the
 * transport actually took, so an aborted download is logged with what went out, not with its Content-Length. An
 * action queued with {@link #whenWritten} runs once everything queued before it was handed to the transport, or
 * when the queue is dropped (the connection closes first): that is when a response's access-log line is due.
 */
final class OutputQueue {
    private static final int MAX_GATHER = 32;
    static final long FILE_WEIGHT = 64 * 1024;

    /** Body bytes of one response that the transport has taken so far. */
    static final class Sent {
        private long bytes;

        long bytes() {
            return bytes;
        }
    }

    /** A file region being sent; the channel is closed when it is done or the queue is dropped. */
    private static final class FileChunk {
        final FileChannel file;
        final Sent sent;
        final boolean close;
        final long weight;
        long position;
        long remaining;

        FileChunk(FileChannel file, long position, long remaining, Sent sent, boolean close) {
            this.file = file;
            this.position = position;
            this.remaining = remaining;
            this.sent = sent;
            this.close = close;
            this.weight = close ? FILE_WEIGHT : Math.min(remaining, FILE_WEIGHT);
        }
    }

    /** Body bytes in memory, counted to their response as they go. */
    private record Counted(ByteBuffer bytes, Sent sent) {
    }

    /** Runs when the bytes queued before it are written (or dropped). */
    private record Marker(Runnable action) {
    }

    /**
     * The arrays one gathering write is set up in. They hold nothing between writes, so the queues of one thread (a
     * loop's connections) share one set: a thousand connections would otherwise keep a thousand, and a loop
     * serving them in turn would fetch each one's from memory.
     */
    private static final class Gather {
        final ByteBuffer[] buffers = new ByteBuffer[MAX_GATHER];
        final Sent[] sent = new Sent[MAX_GATHER];
        final int[] before = new int[MAX_GATHER];
    }

    private static final ThreadLocal<Gather> GATHER = ThreadLocal.withInitial(Gather::new);

    private final ArrayDeque<Object> items = new ArrayDeque<>();
    private long memoryBytes;
    private final long fileBytesPerTurn;
    /** File bytes this turn may still hand to the transport; 0 also once the socket took less than offered. */
    private long fileBudget;

    /** @param fileBytesPerTurn file bytes one turn may send ({@link SendOptions#fileBytesPerTurn}) */
    OutputQueue(long fileBytesPerTurn) {
        this.fileBytesPerTurn = fileBytesPerTurn;
        this.fileBudget = fileBytesPerTurn;
    }
    /** Data items (not markers) queued: a marker is run at once when nothing is ahead of it. */
    private int dataItems;

    /** Queues bytes that count for no response body (a head, chunk framing, an interim response). */
    void add(ByteBuffer bytes) {
        if (bytes.hasRemaining()) {
            items.addLast(bytes);
            dataItems++;
            memoryBytes += bytes.remaining();
        }
    }

    /** Queues body bytes; {@code sent} grows by what of them the transport takes. */
    void add(ByteBuffer bytes, Sent sent) {
        if (bytes.hasRemaining()) {
            items.addLast(new Counted(bytes, sent));
            dataItems++;
            memoryBytes += bytes.remaining();
        }
    }

    void addFile(FileChannel file, long position, long length, Sent sent) {
        if (length > 0) {
            add(new FileChunk(file, position, length, sent, true));
        } else {
            closeQuietly(file);
        }
    }

    /**
     * Queues a region of a file that stays open after it is sent (one HTTP/2 DATA frame's payload of a larger
     * body); it weighs what it holds, up to {@link #FILE_WEIGHT}.
     */
    void addFileRegion(FileChannel file, long position, long length, Sent sent) {
        if (length > 0) {
            add(new FileChunk(file, position, length, sent, false));
        }
    }

    private void add(FileChunk f) {
        items.addLast(f);
        dataItems++;
        memoryBytes += f.weight;
    }

    /**
     * Runs {@code action} once all bytes queued so far have been handed to the transport (now, if none are left),
     * or when the queue is dropped before that.
     */
    void whenWritten(Runnable action) {
        if (dataItems == 0) {
            action.run();
        } else {
            items.addLast(new Marker(action));
        }
    }

    /**
     * A new turn of the loop for this connection: file regions may send {@code fileBytesPerTurn} again. Within a
     * turn, a connection's writes stop after that many file bytes, or when a transfer comes back short (the socket
     * is full: asking again would only cost an EAGAIN), and the loop serves the next ready connection.
     */
    void beginTurn() {
        fileBudget = fileBytesPerTurn;
    }

    /** No bytes are waiting (markers never wait at the head: they run as soon as the bytes before them are out). */
    boolean isEmpty() {
        return dataItems == 0;
    }

    /** What the queue holds against the high watermark: bytes in memory plus a weight per open file region. */
    long memoryBytes() {
        return memoryBytes;
    }

    /**
     * Writes as much as the transport takes now.
     *
     * @return bytes written (of buffers and files)
     * @throws IOException from the socket, or when a file shrank under us (sending padding would corrupt the
     *                     response: the connection must close)
     */
    long writeTo(Transport transport) throws IOException {
        long total = 0;
        while (!items.isEmpty()) {
            Object head = items.peekFirst();
            if (head instanceof Marker m) {
                items.pollFirst();
                m.action().run();
                continue;
            }
            if (head instanceof FileChunk f) {
                if (fileBudget == 0) {
                    return total;
                }
                long offered = Math.min(f.remaining, fileBudget);
                long n = transport.transferFrom(f.file, f.position, offered);
                fileBudget = n < offered ? 0 : fileBudget - n;
                if (n == 0 && f.position >= f.file.size()) {
                    throw new IOException("file shrank while being sent");
                }
                f.position += n;
                f.remaining -= n;
                f.sent.bytes += n;
                total += n;
                if (f.remaining > 0) {
                    return total; // the turn's budget is spent or the socket is full
                }
                items.pollFirst();
                dataItems--;
                memoryBytes -= f.weight;
                if (f.close) {
                    closeQuietly(f.file);
                }
                continue;
            }
            Gather g = GATHER.get();
            ByteBuffer[] gather = g.buffers;
            Sent[] gatherSent = g.sent;
            int[] gatherBefore = g.before;
            int k = 0;
            for (Object o : items) {
                if (k == MAX_GATHER) {
                    break;
                }
                if (o instanceof ByteBuffer b) {
                    gather[k] = b;
                    gatherSent[k] = null;
                } else if (o instanceof Counted c) {
                    gather[k] = c.bytes();
                    gatherSent[k] = c.sent();
                } else {
                    break;
                }
                gatherBefore[k] = gather[k].remaining();
                k++;
            }
            boolean partial = false;
            try {
                long n = transport.write(gather, 0, k);
                total += n;
                memoryBytes -= n;
                for (int i = 0; i < k; i++) {
                    if (gatherSent[i] != null) {
                        gatherSent[i].bytes += gatherBefore[i] - gather[i].remaining();
                    }
                    if (partial || gather[i].hasRemaining()) {
                        partial = true;
                        continue;
                    }
                    items.pollFirst();
                    dataItems--;
                }
            } finally {
                Arrays.fill(gather, 0, k, null); // shared by the loop's queues: keep nothing of this one's
                Arrays.fill(gatherSent, 0, k, null);
            }
            if (partial) {
                return total;
            }
        }
        return total;
    }

    /** Drops everything (the connection is closing); closes files; runs the waiting actions in order. */
    void clear() {
        java.util.List<Runnable> due = new java.util.ArrayList<>(0);
        for (Object o : items) {
            if (o instanceof FileChunk f) {
                if (f.close) {
                    closeQuietly(f.file);
                }
            } else if (o instanceof Marker m) {
                due.add(m.action());
            }
        }
        items.clear();
        dataItems = 0;
        memoryBytes = 0;
        due.forEach(Runnable::run); // after the drop: an action that looks at the queue sees it empty
    }

    private static void closeQuietly(FileChannel f) {
        try {
            f.close();
        } catch (IOException ignored) {
            // read-only file
        }
    }
}
