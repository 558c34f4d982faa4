package org.liso.files;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.liso.http.HttpException;

/**
 * An HTML index of a directory: names sorted, HTML-escaped in the text and percent-encoded in the links. Links are
 * relative and start with {@code ./}, so a name such as {@code javascript:x} cannot be read as a URI scheme
 * (RFC 3986 §4.2). At most {@link #MAX_ENTRIES} names are listed, so a huge directory cannot exhaust memory.
 */
final class DirectoryListing {
    static final int MAX_ENTRIES = 10_000;

    private DirectoryListing() {
    }

    static String render(Path directory, RequestPath path) throws HttpException {
        List<String> names = new ArrayList<>();
        boolean truncated = false;
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
            for (Path p : stream) {
                if (names.size() == MAX_ENTRIES) {
                    truncated = true;
                    break;
                }
                String name = p.getFileName().toString();
                names.add(Files.isDirectory(p) ? name + "/" : name);
            }
        } catch (IOException e) {
            throw FileLookup.fromIo(e);
        }
        names.sort(null);
        String title = escape(path.display());
        StringBuilder sb = new StringBuilder(256 + names.size() * 64);
        sb.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Index of ").append(title)
                .append("</title></head>\n<body><h1>Index of ").append(title).append("</h1>\n<ul>\n");
        if (!path.isRoot()) {
            sb.append("<li><a href=\"../\">../</a></li>\n");
        }
        for (String name : names) {
            boolean dir = name.endsWith("/");
            String bare = dir ? name.substring(0, name.length() - 1) : name;
            sb.append("<li><a href=\"./").append(PercentEncoding.encodeSegment(bare)).append(dir ? "/" : "")
                    .append("\">").append(escape(name)).append("</a></li>\n");
        }
        sb.append("</ul>\n");
        if (truncated) {
            sb.append("<p>Only the first ").append(MAX_ENTRIES).append(" entries are listed.</p>\n");
        }
        sb.append("</body></html>\n");
        return sb.toString();
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
