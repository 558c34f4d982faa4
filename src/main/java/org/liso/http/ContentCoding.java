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

    /**
     * Types worth compressing: text, JSON, XML (SVG included), JavaScript, WebAssembly and uncompressed fonts. Images,
     * audio, video, archives and WOFF fonts are compressed already; another pass only costs time.
     */
    public static boolean compressible(String contentType) {
        String t = contentType.toLowerCase(java.util.Locale.ROOT);
        return t.startsWith("text/") || t.contains("json") || t.contains("xml") || t.contains("javascript")
                || t.startsWith("application/wasm") || t.equals("font/ttf") || t.equals("font/otf")
                || t.equals("image/x-icon");
    }
}
