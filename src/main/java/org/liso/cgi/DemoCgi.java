package org.liso.cgi;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The bundled demo CGI script (python3): shows the request's RFC 3875 meta-variables (never the rest of the server's
 * environment) and echoes a POSTed form, HTML-escaped, styled with the demo site's style sheet.
 */
public final class DemoCgi {
    static final String RESOURCE = "demo.py";
    /** The demo site's style sheet, one file for both: the script inlines the copy beside it. */
    static final String STYLE = "/org/liso/files/demo/style.css";

    private DemoCgi() {
    }

    /**
     * Writes the demo script into {@code dir} as {@code demo.py}, executable, with {@code style.css} beside it, and
     * returns the script's path.
     */
    public static Path extractTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path target = dir.resolve(RESOURCE);
        copy(RESOURCE, target);
        copy(STYLE, dir.resolve("style.css"));
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
        return target;
    }

    private static void copy(String resource, Path target) throws IOException {
        try (InputStream in = DemoCgi.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("demo CGI resource missing from the jar: " + resource);
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
