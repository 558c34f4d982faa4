package org.liso.files;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.liso.http.HttpException;
import org.liso.http.PercentDecoding;

/**
 * An HTML index of a directory, one page at a time: the first {@code max} names by name (see {@link FirstNames}),
 * with size and modification time, and a "next page" link to {@code ?after=LAST}. A cursor of the last name shown,
 * not a page number, because a page number counts entries: a file created or removed before it shifts every later
 * page, repeating or skipping names; {@code after} resumes from a name, so while the directory changes each name is
 * still shown at most once, and the server keeps no state between pages.
 *
 * <p>Names are HTML-escaped in the text and percent-encoded in the links. Links are relative and start with
 * {@code ./}, so a name such as {@code javascript:x} cannot be read as a URI scheme (RFC 3986 §4.2).
 */
final class DirectoryListing {
    static final int DEFAULT_MAX_ENTRIES = 10_000;
    private static final DateTimeFormatter MODIFIED =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private DirectoryListing() {
    }

    /** @param query the raw query of the request (null when none); its {@code after} parameter picks the page */
    static String render(Path directory, RequestPath path, String query, int max) throws HttpException {
        String after = after(query);
        FirstNames page = new FirstNames(max, after);
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
            for (Path p : stream) {
                page.offer(p.getFileName().toString());
            }
        } catch (IOException e) {
            throw FileLookup.fromIo(e);
        }
        List<String> names = page.names();
        String title = escape(path.display());
        StringBuilder sb = new StringBuilder(512 + names.size() * 160);
        sb.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Index of ")
                .append(title).append("</title>\n<style>body{font-family:system-ui,sans-serif;margin:1em}")
                .append("td{padding:0 1em 0 0;overflow-wrap:anywhere}td.n{text-align:right;white-space:nowrap}")
                .append("</style></head>\n<body><h1>Index of ").append(title).append("</h1>\n<table>\n")
                .append("<tr><th>Name</th><th>Size</th><th>Modified</th></tr>\n");
        if (!path.isRoot()) {
            sb.append("<tr><td><a href=\"../\">../</a></td><td></td><td></td></tr>\n");
        }
        for (String name : names) {
            row(sb, directory.resolve(name), name);
        }
        sb.append("</table>\n");
        if (page.more()) {
            sb.append("<p><a rel=\"next\" href=\"./?after=")
                    .append(PercentEncoding.encodeSegment(names.get(names.size() - 1)))
                    .append("\">next page</a> (").append(max).append(" names a page)</p>\n");
        }
        sb.append("</body></html>\n");
        return sb.toString();
    }

    private static void row(StringBuilder sb, Path entry, String name) {
        BasicFileAttributes attrs = attributes(entry);
        boolean dir = attrs != null && attrs.isDirectory();
        sb.append("<tr><td><a href=\"./").append(PercentEncoding.encodeSegment(name)).append(dir ? "/" : "")
                .append("\">").append(escape(name)).append(dir ? "/" : "").append("</a></td><td class=\"n\">")
                .append(attrs == null || dir ? "-" : Long.toString(attrs.size())).append("</td><td class=\"n\">")
                .append(attrs == null ? "-" : MODIFIED.format(attrs.lastModifiedTime().toInstant()))
                .append("</td></tr>\n");
    }

    /** The target's attributes, the link's own for a dangling link, or null when the entry is gone already. */
    private static BasicFileAttributes attributes(Path entry) {
        try {
            return Files.readAttributes(entry, BasicFileAttributes.class);
        } catch (IOException e) {
            try {
                return Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (IOException gone) {
                return null;
            }
        }
    }

    /** The decoded {@code after} parameter of {@code query}, or null. */
    static String after(String query) throws HttpException {
        if (query == null) {
            return null;
        }
        for (String param : query.split("&")) {
            if (param.startsWith("after=")) {
                return PercentDecoding.decode(param.substring("after=".length()),
                        (b, escaped) -> b == 0 ? "NUL in query" : null);
            }
        }
        return null;
    }

    static String escape(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
