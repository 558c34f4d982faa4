package org.liso.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayDeque;
import org.liso.transport.Transport;

/**
 * What a connection still has to send, in order: byte buffers and file regions. Consecutive buffers go out in one
 * gathering write (a response head and its small body, or several pipelined responses, in one syscall); file regions
 * go through {@link Transport#transferFrom} (zero-copy on plain TCP). Only bytes held in memory count towards the
 * connection's high watermark; a file region holds an open file, not its bytes.
 */
final class OutputQueue {
    private static final int MAX_GATHER = 32;
    static final long FILE_WEIGHT = 64 * 1024;

    /** A file region being sent; the channel is closed when it is done or the queue is dropped. */
    private static final class FileChunk {
        final FileChannel file;
        long position;
        long remaining;

        FileChunk(FileChannel file, long position, long remaining) {
            this.file = file;
            this.position = position;
            this.remaining = remaining;
        }
    }

    private final ArrayDeque<Object> items = new ArrayDeque<>();
    private final ByteBuffer[] gather = new ByteBuffer[MAX_GATHER];
    private long memoryBytes;

    void add(ByteBuffer bytes) {
        if (bytes.hasRemaining()) {
            items.addLast(bytes);
            memoryBytes += bytes.remaining();
        }
    }

    void addFile(FileChannel file, long position, long length) {
        if (length > 0) {
            items.addLast(new FileChunk(file, position, length));
            memoryBytes += FILE_WEIGHT;
        } else {
            closeQuietly(file);
        }
    }

    boolean isEmpty() {
        return items.isEmpty();
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
            if (head instanceof FileChunk f) {
                long n = transport.transferFrom(f.file, f.position, f.remaining);
                if (n == 0 && f.position >= f.file.size()) {
                    throw new IOException("file shrank while being sent");
                }
                f.position += n;
                f.remaining -= n;
                total += n;
                if (f.remaining > 0) {
                    if (n > 0) {
                        continue; // the receiver may have drained meanwhile: send until the socket says no
                    }
                    return total;
                }
                items.pollFirst();
                memoryBytes -= FILE_WEIGHT;
                closeQuietly(f.file);
                continue;
            }
            int k = 0;
            for (Object o : items) {
                if (!(o instanceof ByteBuffer) || k == MAX_GATHER) {
                    break;
                }
                gather[k++] = (ByteBuffer) o;
            }
            long n = transport.write(gather, 0, k);
            total += n;
            memoryBytes -= n;
            boolean partial = false;
            for (int i = 0; i < k; i++) {
                if (gather[i].hasRemaining()) {
                    partial = true;
                    break;
                }
                items.pollFirst();
            }
            java.util.Arrays.fill(gather, 0, k, null);
            if (partial) {
                return total;
            }
        }
        return total;
    }

    /** Drops everything (the connection is closing); closes files. */
    void clear() {
        for (Object o : items) {
            if (o instanceof FileChunk f) {
                closeQuietly(f.file);
            }
        }
        items.clear();
        memoryBytes = 0;
    }

    private static void closeQuietly(FileChannel f) {
        try {
            f.close();
        } catch (IOException ignored) {
            // read-only file
        }
    }
}
