package org.liso.files;

import java.util.Map;

/**
 * What the operator sets about a static site's answers beyond finding files: compression, caching fields, error
 * pages and the single-page-application fallback.
 *
 * @param compression how files are compressed
 * @param caching     Cache-Control / Expires by file pattern
 * @param errorPages  status to a page under the root ({@code 404=/404.html}), sent with that status
 * @param fallback    a page under the root sent (200) for a missing path whose last segment has no extension, as a
 *                    client-side router wants; null for none
 */
public record SiteOptions(CompressionOptions compression, CacheRules caching, Map<Integer, String> errorPages,
        String fallback) {

    /** What {@code liso serve} does without flags: compression on, nothing else. */
    public static final SiteOptions DEFAULT = new SiteOptions(CompressionOptions.DEFAULT, CacheRules.NONE, Map.of(),
            null);
    /** Nothing at all: the files as they are (lisod). */
    public static final SiteOptions NONE = new SiteOptions(CompressionOptions.OFF, CacheRules.NONE, Map.of(), null);

    public SiteOptions {
        errorPages = Map.copyOf(errorPages);
        for (Map.Entry<Integer, String> e : errorPages.entrySet()) {
            if (e.getKey() < 400 || e.getKey() > 599) {
                throw new IllegalArgumentException("an error page is for a status 400-599, not " + e.getKey());
            }
            requirePath(e.getValue());
        }
        if (fallback != null) {
            requirePath(fallback);
        }
    }

    public SiteOptions withCompression(CompressionOptions c) {
        return new SiteOptions(c, caching, errorPages, fallback);
    }

    public SiteOptions withCaching(CacheRules rules) {
        return new SiteOptions(compression, rules, errorPages, fallback);
    }

    public SiteOptions withErrorPages(Map<Integer, String> pages) {
        return new SiteOptions(compression, caching, pages, fallback);
    }

    public SiteOptions withFallback(String page) {
        return new SiteOptions(compression, caching, errorPages, page);
    }

    /** Whether anything here changes a file's answer; if not, the handler takes its plain path. */
    boolean plain() {
        return !compression.enabled() && caching.isEmpty();
    }

    private static void requirePath(String page) {
        if (!page.startsWith("/")) {
            throw new IllegalArgumentException("a page is a path under the root, starting with '/': " + page);
        }
    }
}
