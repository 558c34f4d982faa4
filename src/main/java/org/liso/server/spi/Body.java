package org.liso.server.spi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;

/**
 * A response body: nothing, bytes in memory, a region of a file (sent zero-copy on plain TCP), or a stream produced
 * by another thread (CGI).
 */
public sealed interface Body permits Body.Empty, Body.Bytes, Body.FileRegion, StreamBody {

    /** Length in bytes, or -1 when unknown ahead (a stream). */
    long length();

    /** Frees what the body holds (closes a file, stops a stream); idempotent. */
    void release();

    static Body empty() {
        return Empty.INSTANCE;
    }

    /** A body of {@code bytes}' remaining bytes; the buffer is shared read-only, never modified. */
    static Body bytes(ByteBuffer bytes) {
        return new Bytes(bytes);
    }

    static Body text(String text) {
        return new Bytes(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** {@code length} bytes of {@code file} from {@code position}; the server closes the channel when done. */
    static Body file(FileChannel file, long position, long length) {
        return new FileRegion(file, position, length);
    }

    /** No body. */
    final class Empty implements Body {
        static final Empty INSTANCE = new Empty();

        private Empty() {
        }

        @Override
        public long length() {
            return 0;
        }

        @Override
        public void release() {
            // nothing held
        }
    }

    /** Bytes in memory (an error page, a cached small file). */
    final class Bytes implements Body {
        private final ByteBuffer bytes;

        Bytes(ByteBuffer bytes) {
            this.bytes = bytes;
        }

        /** A fresh view for sending: position and limit of its own, the content shared. */
        public ByteBuffer view() {
            return bytes.duplicate();
        }

        @Override
        public long length() {
            return bytes.remaining();
        }

        @Override
        public void release() {
            // memory only
        }
    }

    /** A region of an open file. */
    final class FileRegion implements Body {
        private final FileChannel file;
        private final long position;
        private final long length;

        FileRegion(FileChannel file, long position, long length) {
            this.file = file;
            this.position = position;
            this.length = length;
        }

        public FileChannel file() {
            return file;
        }

        public long position() {
            return position;
        }

        @Override
        public long length() {
            return length;
        }

        @Override
        public void release() {
            try {
                file.close();
            } catch (IOException ignored) {
                // closing a read-only file cannot lose data
            }
        }
    }
}
