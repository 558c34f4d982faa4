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
    private final MimeTypes contentTypes;
    private final boolean postServesFile;
    private final int listDirectoriesMax;

    /**
     * @param listDirectories           answer a directory without index.html with an HTML listing instead of 403
     * @param followSymlinksOutsideRoot serve files whose real path lies outside the root instead of 403
     * @param cacheMaxBytes             total bytes the small-file cache may hold; 0 turns it off
     * @param cacheMaxFileBytes         largest file the cache keeps in memory; 0 turns it off
     */
    public FileOptions(boolean listDirectories, boolean followSymlinksOutsideRoot, long cacheMaxBytes,
            int cacheMaxFileBytes) {
        this(listDirectories, followSymlinksOutsideRoot, cacheMaxBytes, cacheMaxFileBytes, MimeTypes.WEB, false,
                DirectoryListing.DEFAULT_MAX_ENTRIES);
    }

    private FileOptions(boolean listDirectories, boolean followSymlinksOutsideRoot, long cacheMaxBytes,
            int cacheMaxFileBytes, MimeTypes contentTypes, boolean postServesFile, int listDirectoriesMax) {
        if (cacheMaxBytes < 0 || cacheMaxFileBytes < 0) {
            throw new IllegalArgumentException("cache sizes must not be negative");
        }
        if (listDirectoriesMax < 1) {
            throw new IllegalArgumentException("a listing page needs at least 1 name: " + listDirectoriesMax);
        }
        this.listDirectoriesMax = listDirectoriesMax;
        this.listDirectories = listDirectories;
        this.followSymlinksOutsideRoot = followSymlinksOutsideRoot;
        this.cacheMaxBytes = cacheMaxBytes;
        this.cacheMaxFileBytes = cacheMaxFileBytes;
        this.contentTypes = java.util.Objects.requireNonNull(contentTypes, "contentTypes");
        this.postServesFile = postServesFile;
    }

    public boolean listDirectories() {
        return listDirectories;
    }

    /** The most names one listing page shows (default 10,000); the rest are on the pages its links lead to. */
    public int listDirectoriesMax() {
        return listDirectoriesMax;
    }

    public FileOptions withListDirectoriesMax(int max) {
        return new FileOptions(listDirectories, followSymlinksOutsideRoot, cacheMaxBytes, cacheMaxFileBytes,
                contentTypes, postServesFile, max);
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
        return new FileOptions(on, followSymlinksOutsideRoot, cacheMaxBytes, cacheMaxFileBytes, contentTypes,
                postServesFile, listDirectoriesMax);
    }

    public FileOptions withFollowSymlinksOutsideRoot(boolean on) {
        return new FileOptions(listDirectories, on, cacheMaxBytes, cacheMaxFileBytes, contentTypes, postServesFile,
                listDirectoriesMax);
    }

    /** The cache bounds: total bytes held and the largest file kept; either 0 turns the cache off. */
    public FileOptions withCache(long maxBytes, int maxFileBytes) {
        return new FileOptions(listDirectories, followSymlinksOutsideRoot, maxBytes, maxFileBytes, contentTypes,
                postServesFile, listDirectoriesMax);
    }

    /** The Content-Type table: {@link MimeTypes#WEB} by default, {@link MimeTypes#HANDOUT} for lisod. */
    public FileOptions withContentTypes(MimeTypes types) {
        return new FileOptions(listDirectories, followSymlinksOutsideRoot, cacheMaxBytes, cacheMaxFileBytes, types,
                postServesFile, listDirectoriesMax);
    }

    /**
     * Whether a POST to a static file is answered as a GET of it once its body has been read and discarded (the
     * lisod handout's rule, which its graders check); off, it is a 405 with Allow (RFC 9110 §15.5.6).
     */
    public FileOptions withPostServesFile(boolean on) {
        return new FileOptions(listDirectories, followSymlinksOutsideRoot, cacheMaxBytes, cacheMaxFileBytes,
                contentTypes, on, listDirectoriesMax);
    }

    public MimeTypes contentTypes() {
        return contentTypes;
    }

    public boolean postServesFile() {
        return postServesFile;
    }

    boolean cacheEnabled() {
        return cacheMaxBytes > 0 && cacheMaxFileBytes > 0;
    }

    @Override
    public String toString() {
        return "FileOptions[listDirectories=" + listDirectories + ", followSymlinksOutsideRoot="
                + followSymlinksOutsideRoot + ", cacheMaxBytes=" + cacheMaxBytes + ", cacheMaxFileBytes="
                + cacheMaxFileBytes + ", contentTypes=" + contentTypes + ", postServesFile=" + postServesFile
                + ", listDirectoriesMax=" + listDirectoriesMax + "]";
    }
}
