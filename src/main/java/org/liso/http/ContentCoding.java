package org.liso.http;

/**
 * The content codings a static file may be sent in besides identity (RFC 9110 §8.4.1), in the server's order of
 * preference when the client's q-values tie: Brotli and zstd compress text better than gzip. Each has the suffix its
 * precompressed sibling carries ({@code app.js.br} next to {@code app.js}).
 */
public enum ContentCoding {
    BR("br", ".br"),
    ZSTD("zstd", ".zst"),
    GZIP("gzip", ".gz");

    public static final ContentCoding[] ALL = values();

    /** The coding's name in Accept-Encoding and Content-Encoding. */
    public final String token;
    /** The file-name suffix of a precompressed sibling. */
    public final String suffix;
    /** This coding's bit in a set of available codings. */
    public final int bit;

    ContentCoding(String token, String suffix) {
        this.token = token;
        this.suffix = suffix;
        this.bit = 1 << ordinal();
    }
}
