package org.liso.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.liso.files.CacheRules;
import org.liso.files.CompressionOptions;
import org.liso.files.SiteOptions;
import picocli.CommandLine.Option;

/** The flags of serve about a site's answers: compression, caching fields, error pages, the SPA fallback. */
final class AnswerFlags {
    private static final CompressionOptions C = CompressionOptions.DEFAULT;

    @Option(names = "--no-gzip", description = "Do not gzip compressible files on the fly (precompressed siblings are still sent).")
    boolean noGzip;

    @Option(names = "--no-precompressed", description = "Ignore precompressed siblings (FILE.br, FILE.zst, FILE.gz next to FILE).")
    boolean noPrecompressed;

    @Option(names = "--gzip-min", paramLabel = "SIZE", description = "Smallest file gzipped on the fly (default: ${DEFAULT-VALUE}).")
    Size gzipMin = new Size(C.gzipMinBytes());

    @Option(names = "--gzip-max", paramLabel = "SIZE", description = "Largest file gzipped on the fly; larger ones need a sibling (default: ${DEFAULT-VALUE}).")
    Size gzipMax = new Size(C.gzipMaxBytes());

    @Option(names = "--gzip-level", paramLabel = "N", description = "gzip level, 1 (fast) to 9 (small) (default: ${DEFAULT-VALUE}).")
    int gzipLevel = C.gzipLevel();

    @Option(names = "--gzip-cache", paramLabel = "SIZE", description = "Memory for on-the-fly gzip results and small siblings, 0 for none (default: ${DEFAULT-VALUE}).")
    Size gzipCache = new Size(C.cacheBytes());

    @Option(names = "--cache-control", paramLabel = "'PATTERN=VALUE'", description = {"Cache-Control for files whose name (or, with a slash, path) matches PATTERN",
            "(repeatable, first match wins), e.g. '*.css=max-age=31536000, immutable', '*.html=no-cache'."})
    List<String> cacheControl = new ArrayList<>();

    @Option(names = "--expires", paramLabel = "[PATTERN=]TIME", description = {"Expires and Cache-Control: max-age for matching files, or every file",
            "without a PATTERN (repeatable; after the --cache-control rules), e.g. --expires 1h, --expires '*.png=30d'."})
    List<String> expires = new ArrayList<>();

    @Option(names = "--error-page", paramLabel = "STATUS=PATH", description = {"A page under the root sent for an error status (repeatable): the files' (404, 403)",
            "and the server's own (400, 413, 431, 502 of a failed script, ...), e.g. --error-page 404=/404.html."})
    List<String> errorPages = new ArrayList<>();

    @Option(names = "--fallback", paramLabel = "PATH", description = {"A page under the root sent (200) for a missing path without an extension",
            "(a single-page app's routes); a missing /app.js is still a 404. E.g. --fallback /index.html."})
    String fallback;

    /**
     * The configuration keys SIGHUP applies in place by rebuilding the sites' file handlers: every option of this
     * class, and the file-listing and symlink options of serve.
     */
    static java.util.Set<String> reloadKeys() {
        java.util.Set<String> keys = new java.util.LinkedHashSet<>(
                ConfigFile.keys(picocli.CommandLine.Model.CommandSpec.forAnnotatedObject(new AnswerFlags())).keySet());
        keys.addAll(List.of("list-dirs", "list-dirs-max", "follow-symlinks"));
        return keys;
    }

    /** The options, or a usage error (2) naming the bad value. */
    SiteOptions toOptions() {
        try {
            CompressionOptions compression = C.withPrecompressed(!noPrecompressed)
                    .withGzip(!noGzip, gzipMin.toInt("--gzip-min"), gzipMax.toInt("--gzip-max"), gzipLevel)
                    .withCacheBytes(gzipCache.bytes());
            SiteOptions site = SiteOptions.DEFAULT.withCompression(compression)
                    .withCaching(CacheRules.of(cacheControl, expiries())).withErrorPages(pages()).withFallback(fallback);
            return site;
        } catch (IllegalArgumentException e) {
            throw new CliFailure(ExitCodes.USAGE, e.getMessage());
        }
    }

    /** A page missing under {@code root} is a config error (78), found at start rather than at the first error. */
    static void checkPages(SiteOptions site, Path root) {
        for (String page : site.errorPages().values()) {
            requirePage(root, page, "--error-page");
        }
        if (site.fallback() != null) {
            requirePage(root, site.fallback(), "--fallback");
        }
    }

    private List<CacheRules.Expiry> expiries() {
        List<CacheRules.Expiry> all = new ArrayList<>();
        for (String e : expires) {
            int eq = e.lastIndexOf('=');
            String time = eq < 0 ? e : e.substring(eq + 1);
            TimeSpan span;
            try {
                span = TimeSpan.parse(time);
            } catch (RuntimeException bad) {
                throw new IllegalArgumentException("--expires wants [PATTERN=]TIME (" + TimeSpan.FORMS + "), got '" + e
                        + "'");
            }
            all.add(new CacheRules.Expiry(eq < 0 ? null : e.substring(0, eq), span.millis() / 1000));
        }
        return all;
    }

    private Map<Integer, String> pages() {
        Map<Integer, String> pages = new LinkedHashMap<>();
        for (String p : errorPages) {
            int eq = p.indexOf('=');
            int status;
            try {
                status = Integer.parseInt(p.substring(0, Math.max(eq, 0)).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--error-page wants STATUS=PATH, e.g. 404=/404.html, got '" + p + "'");
            }
            pages.put(status, p.substring(eq + 1).trim());
        }
        return pages;
    }

    private static void requirePage(Path root, String page, String option) {
        Path file = root.resolve(page.substring(1));
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new CliFailure(ExitCodes.CONFIG, option + " " + page + ": no readable file " + file);
        }
    }
}
