package org.liso.files;

import java.util.Locale;
import java.util.Map;

/**
 * Content-Type from a file name's extension, compared without regard to case; one table per choice of server.
 * {@link #WEB} knows the types of today's web and names the charset of text; {@link #HANDOUT} is the lisod handout's
 * short list, exactly as its graders compare it (no charset parameter), everything else being octet-stream.
 */
public enum MimeTypes {
    WEB(Tables.WEB),
    HANDOUT(Tables.HANDOUT);

    static final String DEFAULT = "application/octet-stream";

    private final Map<String, String> byExtension;

    MimeTypes(Map<String, String> byExtension) {
        this.byExtension = byExtension;
    }

    /** The Content-Type for {@code fileName}, or {@value #DEFAULT} when its extension is unknown or absent. */
    String forFileName(String fileName) {
        int dot = fileName.lastIndexOf('.');
        if (dot < 0 || dot == fileName.length() - 1) {
            return DEFAULT;
        }
        String type = byExtension.get(fileName.substring(dot + 1).toLowerCase(Locale.ROOT));
        return type != null ? type : DEFAULT;
    }

    /** An enum's constants are built before its own static fields, so the tables they take live here. */
    private static final class Tables {
        private static final String UTF8 = "; charset=utf-8";

        static final Map<String, String> HANDOUT = Map.of(
                "html", "text/html",
                "css", "text/css",
                "png", "image/png",
                "jpg", "image/jpeg",
                "jpeg", "image/jpeg",
                "gif", "image/gif");

        static final Map<String, String> WEB = Map.ofEntries(
                Map.entry("html", "text/html" + UTF8),
                Map.entry("htm", "text/html" + UTF8),
                Map.entry("css", "text/css" + UTF8),
                Map.entry("js", "text/javascript" + UTF8),
                Map.entry("mjs", "text/javascript" + UTF8),
                Map.entry("json", "application/json" + UTF8),
                Map.entry("map", "application/json" + UTF8),
                Map.entry("webmanifest", "application/manifest+json" + UTF8),
                Map.entry("txt", "text/plain" + UTF8),
                Map.entry("text", "text/plain" + UTF8),
                Map.entry("md", "text/markdown" + UTF8),
                Map.entry("csv", "text/csv" + UTF8),
                Map.entry("xml", "application/xml" + UTF8),
                Map.entry("svg", "image/svg+xml" + UTF8),
                Map.entry("png", "image/png"),
                Map.entry("jpg", "image/jpeg"),
                Map.entry("jpeg", "image/jpeg"),
                Map.entry("gif", "image/gif"),
                Map.entry("webp", "image/webp"),
                Map.entry("avif", "image/avif"),
                Map.entry("ico", "image/x-icon"),
                Map.entry("wasm", "application/wasm"),
                Map.entry("woff", "font/woff"),
                Map.entry("woff2", "font/woff2"),
                Map.entry("ttf", "font/ttf"),
                Map.entry("otf", "font/otf"),
                Map.entry("pdf", "application/pdf"),
                Map.entry("zip", "application/zip"),
                Map.entry("gz", "application/gzip"),
                Map.entry("tar", "application/x-tar"),
                Map.entry("mp4", "video/mp4"),
                Map.entry("webm", "video/webm"),
                Map.entry("ogv", "video/ogg"),
                Map.entry("mp3", "audio/mpeg"),
                Map.entry("ogg", "audio/ogg"),
                Map.entry("wav", "audio/wav"));
    }
}
