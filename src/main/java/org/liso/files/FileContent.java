package org.liso.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.liso.http.HttpException;
import org.liso.server.spi.Body;

/** The bytes of a file, handed out as a whole or as a range: from memory (cached) or from disk (opened lazily). */
interface FileContent {

    Body all() throws HttpException;

    Body range(long first, long length) throws HttpException;

    /** A cached file: the shared body, or a slice of the shared buffer. */
    static FileContent of(SmallFileCache.Entry entry) {
        return new FileContent() {
            @Override
            public Body all() {
                return entry.body;
            }

            @Override
            public Body range(long first, long length) {
                ByteBuffer view = entry.content.duplicate();
                view.position((int) first).limit((int) (first + length));
                return Body.bytes(view.slice());
            }
        };
    }

    /**
     * A file on disk: opened only when a body is actually needed (not for 304, 412 or 416) and sent zero-copy; the
     * server closes the channel. Nothing is read here, so any size works.
     */
    static FileContent of(Path file, long size) {
        return new FileContent() {
            @Override
            public Body all() throws HttpException {
                return Body.file(open(file), 0, size);
            }

            @Override
            public Body range(long first, long length) throws HttpException {
                return Body.file(open(file), first, length);
            }
        };
    }

    private static FileChannel open(Path file) throws HttpException {
        try {
            return FileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException e) {
            throw FileLookup.fromIo(e);
        }
    }
}
