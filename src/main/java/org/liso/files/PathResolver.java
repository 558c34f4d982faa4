package org.liso.files;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.liso.http.HttpException;

/**
 * Turns a raw request path into a path under the document root, lexically and without touching the file system.
 * Decoding happens exactly once, before dot-segment removal, so {@code %2e%2e} is a {@code ..} segment but
 * {@code %252e%252e} is the literal name {@code %2e%2e}. {@code ..} above the root is dropped, as RFC 3986 §5.2.4
 * prescribes, so the result always stays inside the root; symlinks are {@link FileLookup}'s business.
 */
final class PathResolver {

    private PathResolver() {
    }

    /** The file-system path for {@code rawPath} (the request target up to {@code ?}) under {@code root}. */
    static Path resolve(Path root, String rawPath) throws HttpException {
        return parse(rawPath).under(root);
    }

    static RequestPath parse(String rawPath) throws HttpException {
        if (rawPath == null || rawPath.isEmpty() || rawPath.charAt(0) != '/') {
            throw new HttpException(400, "path must start with /");
        }
        String decoded = PercentEncoding.decodePath(rawPath);
        List<String> out = new ArrayList<>();
        boolean directoryForm = false;
        int start = 1;
        while (true) {
            int slash = decoded.indexOf('/', start);
            boolean last = slash < 0;
            String segment = last ? decoded.substring(start) : decoded.substring(start, slash);
            // RFC 3986 §5.2.4: "." vanishes, ".." removes its predecessor (never above the root), and a path that
            // ends in either ends as a directory; empty segments ("//") name nothing on a file system.
            if (segment.isEmpty() || segment.equals(".")) {
                directoryForm = last;
            } else if (segment.equals("..")) {
                if (!out.isEmpty()) {
                    out.remove(out.size() - 1);
                }
                directoryForm = last;
            } else {
                out.add(segment);
                directoryForm = false;
            }
            if (last) {
                break;
            }
            start = slash + 1;
        }
        return new RequestPath(out, directoryForm);
    }
}
