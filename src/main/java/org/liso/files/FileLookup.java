package org.liso.files;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import org.liso.ThrottledWarning;
import org.liso.http.HttpException;

/**
 * The file-system half of path resolution: follows symlinks to the real file, keeps it inside the root (unless told
 * otherwise), picks a directory's index.html, and maps what the file system says to a status — missing 404,
 * unreadable or outside the root or not a regular file 403.
 */
final class FileLookup {
    static final String INDEX = "index.html";

    /** What a request path names. */
    sealed interface Found permits RegularFile, Redirect, Listing {
    }

    /** A readable regular file inside the root (or allowed outside it). */
    record RegularFile(Path path, BasicFileAttributes attrs) implements Found {
    }

    /** A directory asked for without its trailing slash: the client should come back to {@code location}. */
    record Redirect(String location) implements Found {
    }

    /** A directory without index.html whose listing is allowed. */
    record Listing(Path directory, RequestPath path) implements Found {
    }

    /** The process is out of descriptors: every file request fails alike, so one line per interval says it all. */
    private static final ThrottledWarning OUT_OF_DESCRIPTORS = new ThrottledWarning("files",
            "no descriptor left to open a file, answering 503", ThrottledWarning.INTERVAL_MILLIS);

    /** A 403 the operator should hear of (a link in the root points out of it), but not once per request. */
    private final ThrottledWarning escapes = new ThrottledWarning("files",
            "symlink leads outside the root, answering 403 (--follow-symlinks allows it)",
            ThrottledWarning.INTERVAL_MILLIS);
    private final Path root;
    private final boolean followSymlinksOutsideRoot;
    private final boolean listDirectories;

    /** {@code root} must be a real path (no symlinks), so that a prefix check on real paths means "inside". */
    FileLookup(Path root, boolean followSymlinksOutsideRoot, boolean listDirectories) {
        this.root = root;
        this.followSymlinksOutsideRoot = followSymlinksOutsideRoot;
        this.listDirectories = listDirectories;
    }

    Found find(RequestPath request) throws HttpException {
        Path real = realInside(request.under(root));
        BasicFileAttributes attrs = attributes(real);
        if (attrs.isDirectory()) {
            if (!request.directoryForm()) {
                return new Redirect(request.encoded() + "/");
            }
            return directory(real, request);
        }
        if (!attrs.isRegularFile()) {
            throw new HttpException(403, "not a regular file");
        }
        if (request.directoryForm()) {
            throw new HttpException(404, "not a directory");
        }
        return new RegularFile(real, readable(real, attrs));
    }

    private Found directory(Path dir, RequestPath request) throws HttpException {
        Path index = dir.resolve(INDEX);
        if (Files.exists(index)) {
            Path real = realInside(index);
            BasicFileAttributes attrs = attributes(real);
            if (attrs.isRegularFile()) {
                return new RegularFile(real, readable(real, attrs));
            }
        }
        if (!listDirectories) {
            throw new HttpException(403, "directory listing is off");
        }
        if (!Files.isReadable(dir)) {
            throw new HttpException(403, "directory not readable");
        }
        return new Listing(dir, request);
    }

    private Path realInside(Path lexical) throws HttpException {
        Path real;
        try {
            real = lexical.toRealPath();
        } catch (IOException e) {
            throw fromIo(e);
        }
        if (!followSymlinksOutsideRoot && !real.startsWith(root)) {
            escapes.warn("path", lexical, "real", real);
            throw new HttpException(403, "symlink leads outside the root");
        }
        return real;
    }

    private static BasicFileAttributes attributes(Path real) throws HttpException {
        try {
            return Files.readAttributes(real, BasicFileAttributes.class);
        } catch (IOException e) {
            throw fromIo(e);
        }
    }

    private static BasicFileAttributes readable(Path real, BasicFileAttributes attrs) throws HttpException {
        if (!Files.isReadable(real)) {
            throw new HttpException(403, "file not readable");
        }
        return attrs;
    }

    /**
     * Missing (or a name that cannot exist: ENOTDIR, ENAMETOOLONG) is 404; EACCES and ELOOP are 403; running out of
     * descriptors is 503.
     */
    static HttpException fromIo(IOException e) {
        if (e instanceof NoSuchFileException) {
            return new HttpException(404, "not found");
        }
        if (e instanceof AccessDeniedException) {
            return new HttpException(403, "permission denied");
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null
                && fse.getReason().contains("symbolic links")) {
            return new HttpException(403, "symlink loop");
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null
                && fse.getReason().contains("Too many open files")) {
            // EMFILE/ENFILE say nothing about the file: a 404 would be wrong and heuristically cacheable
            // (RFC 9111 §4.2.2); the server is out of descriptors for the moment (RFC 9110 §15.6.4). The 503 page
            // hides its cause, so this is where the operator learns it.
            OUT_OF_DESCRIPTORS.warn("path", fse.getFile(), "error", fse.getReason());
            return new HttpException(503, "out of file descriptors");
        }
        if (e instanceof FileSystemException) {
            return new HttpException(404, "not found");
        }
        return new HttpException(500, "file system error: " + e.getMessage());
    }
}
