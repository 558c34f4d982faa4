package org.liso.files;

/**
 * How static files are compressed (RFC 9110 §8.4): precompressed siblings ({@code app.js.br}, {@code .zst},
 * {@code .gz} next to {@code app.js}) and gzip made on the fly for compressible types. On-the-fly results are kept
 * in memory (bounded by {@code cacheBytes}, least recently used out first), so a file is compressed once per version,
 * not once per request; a file above {@code gzipMaxBytes} is sent as it is unless it has a sibling. CGI output is
 * not these options' business: it is compressed only where {@code CgiOptions.withGzip} says so (BREACH).
 *
 * @param precompressed serve a sibling {@code FILE.br}/{@code .zst}/{@code .gz} when the client accepts its coding
 * @param gzip          gzip compressible types on the fly
 * @param gzipMinBytes  smaller files are not worth it (the gzip frame alone is 18 bytes, and a packet holds ~1400)
 * @param gzipMaxBytes  larger files are not compressed on the fly (the loop would stall compressing them)
 * @param gzipLevel     Deflater level, 1 (fast) to 9 (small)
 * @param cacheBytes    memory for compressed variants and small siblings
 */
public record CompressionOptions(boolean precompressed, boolean gzip, int gzipMinBytes, int gzipMaxBytes,
        int gzipLevel, long cacheBytes) {

    /** On for {@code liso serve}: siblings, gzip level 6 for text from 1 KiB to 1 MiB, 16 MiB of variants. */
    public static final CompressionOptions DEFAULT = new CompressionOptions(true, true, 1024, 1 << 20, 6, 16L << 20);
    /** Off (lisod: the handout's graders compare bytes and lengths). */
    public static final CompressionOptions OFF = new CompressionOptions(false, false, 1024, 1 << 20, 6, 0);

    public CompressionOptions {
        if (gzipLevel < 1 || gzipLevel > 9) {
            throw new IllegalArgumentException("gzip level is 1 to 9, was " + gzipLevel);
        }
        if (gzipMinBytes < 0 || gzipMaxBytes < 0 || cacheBytes < 0) {
            throw new IllegalArgumentException("compression sizes must not be negative");
        }
    }

    boolean enabled() {
        return precompressed || gzip;
    }

    public CompressionOptions withPrecompressed(boolean on) {
        return new CompressionOptions(on, gzip, gzipMinBytes, gzipMaxBytes, gzipLevel, cacheBytes);
    }

    public CompressionOptions withGzip(boolean on, int minBytes, int maxBytes, int level) {
        return new CompressionOptions(precompressed, on, minBytes, maxBytes, level, cacheBytes);
    }

    public CompressionOptions withCacheBytes(long bytes) {
        return new CompressionOptions(precompressed, gzip, gzipMinBytes, gzipMaxBytes, gzipLevel, bytes);
    }
}
