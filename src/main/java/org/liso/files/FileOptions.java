package org.liso.files;

/**
 * How a {@link FileHandler} serves its root. Immutable; start from {@link #DEFAULT} and change with the
 * {@code with…} methods.
 */
public final class FileOptions {
    /**
     * No listings, symlinks confined to the root, a 16 MiB cache of files up to 256 KiB: a cached file costs no
     * stat/open/close and goes out with its head in one gathering write.
     */
    public static final FileOptions DEFAULT = new FileOptions(false, false, 16L << 20, 256 << 10);

    private final boolean listDirectories;
    private final boolean followSymlinksOutsideRoot;
    private final long cacheMaxBytes;
    private final int cacheMaxFileBytes;

    /**
     * @param listDirectories           answer a directory without index.html with an HTML listing instead of 403
     * @param followSymlinksOutsideRoot serve files whose real path lies outside the root instead of 403
     * @param cacheMaxBytes             total bytes the small-file cache may hold; 0 turns it off
     * @param cacheMaxFileBytes         largest file the cache keeps in memory; 0 turns it off
     */
    public FileOptions(boolean listDirectories, boolean followSymlinksOutsideRoot, long cacheMaxBytes,
            int cacheMaxFileBytes) {
        if (cacheMaxBytes < 0 || cacheMaxFileBytes < 0) {
            throw new IllegalArgumentException("cache sizes must not be negative");
        }
        this.listDirectories = listDirectories;
        this.followSymlinksOutsideRoot = followSymlinksOutsideRoot;
        this.cacheMaxBytes = cacheMaxBytes;
        this.cacheMaxFileBytes = cacheMaxFileBytes;
    }

    public boolean listDirectories() {
        return listDirectories;
    }

    public boolean followSymlinksOutsideRoot() {
        return followSymlinksOutsideRoot;
    }

    public long cacheMaxBytes() {
        return cacheMaxBytes;
    }

    public int cacheMaxFileBytes() {
        return cacheMaxFileBytes;
    }

    public FileOptions withListDirectories(boolean on) {
        return new FileOptions(on, followSymlinksOutsideRoot, cacheMaxBytes, cacheMaxFileBytes);
    }

    public FileOptions withFollowSymlinksOutsideRoot(boolean on) {
        return new FileOptions(listDirectories, on, cacheMaxBytes, cacheMaxFileBytes);
    }

    /** The cache bounds: total bytes held and the largest file kept; either 0 turns the cache off. */
    public FileOptions withCache(long maxBytes, int maxFileBytes) {
        return new FileOptions(listDirectories, followSymlinksOutsideRoot, maxBytes, maxFileBytes);
    }

    boolean cacheEnabled() {
        return cacheMaxBytes > 0 && cacheMaxFileBytes > 0;
    }

    @Override
    public String toString() {
        return "FileOptions[listDirectories=" + listDirectories + ", followSymlinksOutsideRoot="
                + followSymlinksOutsideRoot + ", cacheMaxBytes=" + cacheMaxBytes + ", cacheMaxFileBytes="
                + cacheMaxFileBytes + "]";
    }
}
