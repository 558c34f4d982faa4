package org.liso.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * lisod's lock-file: an exclusive lock held for the server's whole life, with its pid inside, so a second instance
 * can say who holds it.
 */
final class LockFile implements AutoCloseable {
    private final Path path;
    private final FileChannel channel;
    private final FileLock lock;
    private final boolean created;

    private LockFile(Path path, FileChannel channel, FileLock lock, boolean created) {
        this.path = path;
        this.channel = channel;
        this.lock = lock;
        this.created = created;
    }

    /** Takes the lock and writes this process's pid, or fails naming the pid that holds it. */
    static LockFile acquire(Path path) {
        FileChannel ch;
        boolean created = !Files.exists(path);
        try {
            ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new CliFailure(ExitCodes.CONFIG, "cannot open lock-file " + path + ": " + e.getMessage());
        }
        try {
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                l = null;
            }
            if (l == null) {
                String holder = holder(ch);
                ch.close();
                throw new CliFailure(ExitCodes.UNAVAILABLE, "another lisod is running: pid " + holder
                        + " holds the lock-file " + path + " (stop it first, e.g. kill " + holder + ")");
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            ch.force(false);
            return new LockFile(path, ch, l, created);
        } catch (IOException e) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // failing anyway
            }
            throw new CliFailure(ExitCodes.IO_ERROR, "cannot lock " + path + ": " + e.getMessage());
        }
    }

    /** The pid in the lock-file when another process holds its lock now, else null (nothing is created). */
    static String heldBy(Path path) {
        if (!Files.exists(path)) {
            return null;
        }
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock l = ch.tryLock();
            if (l != null) {
                l.release();
                return null;
            }
            return holder(ch);
        } catch (IOException | OverlappingFileLockException e) {
            return null;
        }
    }

    private static String holder(FileChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(32);
        ch.read(b, 0);
        String s = new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).trim();
        return s.isEmpty() ? "(unknown)" : s;
    }

    /**
     * Gives the lock up after a failed start: a lock-file this start created is removed (it would only be an empty
     * file with nobody behind it); one that existed before is emptied, as {@link #close} does.
     */
    void discard() {
        if (created) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException ignored) {
                // emptied below; an empty lock-file is harmless
            }
        }
        close();
    }

    @Override
    public void close() {
        try {
            channel.truncate(0);
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // the lock dies with the process anyway
        }
    }
}
