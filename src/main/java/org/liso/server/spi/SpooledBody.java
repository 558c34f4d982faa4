package org.liso.server.spi;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * A request body read whole before its handler goes on, for a consumer that needs the length first (a CGI script's
 * CONTENT_LENGTH, RFC 3875 §4.1.2) or must not hold a scarce resource while a client uploads slowly. Give it to
 * {@link Exchange#readBody}; the bytes stay in memory up to a bound and beyond it go to a temporary file that is
 * unlinked as soon as it is open, so no end of the request — done, client gone, timeout, shutdown, even a killed
 * server — leaves a file behind: closing the descriptor ({@link #release}) frees the space.
 *
 * <p>Writing the file happens on the loop thread: each write is one decoded socket read (at most the connection's
 * read buffer) landing in the page cache, the same bounded cost as nginx's client body buffering on its event loop.
 *
 * <pre>
 *   FILLING --end()--> COMPLETE --release()--> RELEASED
 *      |  \--creating or writing the file fails--> FAILED (the rest is dropped; end() still reports completion)
 *      \--release() (the exchange ended first)--> RELEASED (whenComplete never runs)
 * </pre>
 */
public final class SpooledBody implements BodyReceiver {

    /** Where the body stands. */
    enum State { FILLING, COMPLETE, FAILED, RELEASED }

    /** Bytes handed to the consumer's stream per write. */
    static final int CHUNK = 32 * 1024;
    private static final int FIRST_ARRAY = 8 * 1024;

    private final int memoryBytes;
    private final Path directory;
    private final long expectedLength;
    private final Consumer<SpooledBody> whenComplete;
    private volatile State state = State.FILLING;
    private byte[] memory;
    private FileChannel file;
    private long length;
    private IOException failure;

    /**
     * @param memoryBytes    bytes kept in memory at most; a larger body goes to a file
     * @param directory      where the temporary file is made
     * @param expectedLength the Content-Length, or -1 when the body is chunked
     * @param whenComplete   runs on the loop thread once the whole body has arrived (or buffering failed: see
     *                       {@link #failure}); from then on the consumer owns this body and must {@link #release} it
     */
    public SpooledBody(int memoryBytes, Path directory, long expectedLength, Consumer<SpooledBody> whenComplete) {
        if (memoryBytes < 0) {
            throw new IllegalArgumentException("memory bound must not be negative: " + memoryBytes);
        }
        this.memoryBytes = memoryBytes;
        this.directory = directory;
        this.expectedLength = expectedLength;
        this.whenComplete = whenComplete;
    }

    // ---- loop thread, while the body arrives ----

    @Override
    public boolean data(ByteBuffer chunk) {
        if (state != State.FILLING) {
            chunk.position(chunk.limit()); // failed or released: the server still reads the rest to keep framing
            return true;
        }
        int n = chunk.remaining();
        try {
            if (file == null && length + n <= memoryBytes && expectedLength <= memoryBytes) {
                keep(chunk, n);
            } else {
                if (file == null) {
                    spill();
                }
                while (chunk.hasRemaining()) {
                    file.write(chunk);
                }
            }
            length += n;
        } catch (IOException e) {
            chunk.position(chunk.limit());
            failure = e;
            state = State.FAILED;
            closeFile();
            memory = null;
        }
        return true;
    }

    @Override
    public void end() {
        if (state == State.FILLING) {
            state = State.COMPLETE;
        }
        if (state != State.RELEASED) {
            whenComplete.accept(this);
        }
    }

    private void keep(ByteBuffer chunk, int n) {
        int need = (int) (length + n);
        if (memory == null || memory.length < need) {
            int size = expectedLength >= 0 ? (int) expectedLength
                    : Math.min(memoryBytes, Math.max(need, memory == null ? FIRST_ARRAY : memory.length * 2));
            memory = memory == null ? new byte[Math.max(size, need)] : Arrays.copyOf(memory, Math.max(size, need));
        }
        chunk.get(memory, (int) length, n);
    }

    /** Moves what is in memory to a new temporary file, unlinked at once (the descriptor keeps it alive). */
    private void spill() throws IOException {
        Path path = Files.createTempFile(directory, "liso-body-", ".tmp"); // mode 0600 on POSIX
        try {
            file = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } finally {
            Files.delete(path);
        }
        if (length > 0) {
            ByteBuffer kept = ByteBuffer.wrap(memory, 0, (int) length);
            while (kept.hasRemaining()) {
                file.write(kept);
            }
        }
        memory = null;
    }

    // ---- the consumer's side (any thread, after whenComplete) ----

    /** The body's length after transfer codings were removed. */
    public long length() {
        return length;
    }

    /** Why buffering failed (the temporary file could not be made or written), or null when the body is whole. */
    public IOException failure() {
        return failure;
    }

    /** True when the body went to a temporary file. */
    public boolean inFile() {
        return file != null;
    }

    /**
     * Writes the whole body to {@code out} (blocking; a pump thread), calling {@code progress} after every chunk.
     *
     * @throws IOException from {@code out} (the reader went away), or when the body was released meanwhile
     */
    public void writeTo(OutputStream out, Runnable progress) throws IOException {
        byte[] m = memory;
        FileChannel f = file;
        if (state != State.COMPLETE) {
            throw new IOException("request body is not available (" + state + ")");
        }
        if (f == null) {
            for (int off = 0; off < length; off += CHUNK) {
                out.write(m, off, (int) Math.min(CHUNK, length - off));
                progress.run();
            }
            return;
        }
        byte[] buf = new byte[CHUNK];
        ByteBuffer b = ByteBuffer.wrap(buf);
        for (long pos = 0; pos < length; ) {
            b.clear();
            int n = f.read(b, pos);
            if (n < 0) {
                throw new IOException("request body file shorter than " + length + " bytes");
            }
            out.write(buf, 0, n);
            pos += n;
            progress.run();
        }
    }

    /**
     * Copies body bytes from {@code position} into {@code dst} without blocking on anything but the page cache (the
     * loop thread may call it, as it wrote the file): for a consumer on the loop (a FastCGI connection).
     *
     * @return the bytes copied, 0 when {@code dst} is full, -1 at the body's end
     * @throws IOException when the file cannot be read, or the body was released or is not complete
     */
    public int read(ByteBuffer dst, long position) throws IOException {
        if (state != State.COMPLETE) {
            throw new IOException("request body is not available (" + state + ")");
        }
        if (position >= length) {
            return -1;
        }
        int n = (int) Math.min(dst.remaining(), length - position);
        if (file == null) {
            dst.put(memory, (int) position, n);
            return n;
        }
        ByteBuffer window = dst.slice(dst.position(), n);
        int read = file.read(window, position);
        if (read < 0) {
            throw new IOException("request body file shorter than " + length + " bytes");
        }
        dst.position(dst.position() + read);
        return read;
    }

    /** Frees the memory and closes (so deletes) the temporary file; idempotent, any thread. */
    public void release() {
        synchronized (this) {
            if (state == State.RELEASED) {
                return;
            }
            state = State.RELEASED;
        }
        memory = null;
        closeFile();
    }

    private void closeFile() {
        FileChannel f = file;
        if (f != null) {
            try {
                f.close();
            } catch (IOException ignored) {
                // an unlinked scratch file: nothing is lost by a failed close
            }
        }
    }
}
