package org.liso.files;

import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.liso.http.HttpDate;

/**
 * What a response says about a regular file besides its bytes: validators (RFC 9110 §8.8) and Content-Type, built
 * once so that a cached file's response reuses the same strings.
 *
 * @param size         length in bytes
 * @param mtimeNanos   modification time as stored (for change detection and the ETag)
 * @param fileKey      the inode-ish identity of the file ({@code (dev,ino)} on Linux), null where unknown
 * @param etag         a strong entity-tag, quoted: a new file, size or mtime gives a new tag
 * @param lastModified the modification time as an HTTP-date (whole seconds)
 * @param contentType  from the extension, through the handler's table
 */
record FileMeta(long size, long mtimeNanos, Object fileKey, String etag, String lastModified, String contentType) {

    static FileMeta of(Path file, BasicFileAttributes attrs, MimeTypes types) {
        long size = attrs.size();
        long mtimeNanos = attrs.lastModifiedTime().to(TimeUnit.NANOSECONDS);
        Object key = attrs.fileKey();
        long keyBits = key == null ? 0 : key.hashCode() & 0xffffffffL;
        String etag = '"' + Long.toHexString(keyBits) + '-' + Long.toHexString(size) + '-'
                + Long.toHexString(mtimeNanos) + '"';
        long seconds = Math.floorDiv(mtimeNanos, 1_000_000_000L);
        String name = file.getFileName() == null ? "" : file.getFileName().toString();
        return new FileMeta(size, mtimeNanos, key, etag, HttpDate.format(seconds * 1000L),
                types.forFileName(name));
    }

    /** Modification time truncated to whole seconds, as Last-Modified carries it. */
    long lastModifiedSecondsMillis() {
        return Math.floorDiv(mtimeNanos, 1_000_000_000L) * 1000L;
    }

    /** True when {@code attrs} describe the same file content this was built from (same file, size and mtime). */
    boolean sameAs(BasicFileAttributes attrs) {
        return attrs.size() == size
                && attrs.lastModifiedTime().to(TimeUnit.NANOSECONDS) == mtimeNanos
                && Objects.equals(attrs.fileKey(), fileKey);
    }
}
