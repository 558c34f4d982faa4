package org.liso.cgi;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/** The bundled demo CGI script (python3): shows its environment and echoes a POSTed form, HTML-escaped. */
public final class DemoCgi {
    static final String RESOURCE = "demo.py";

    private DemoCgi() {
    }

    /** Writes the demo script into {@code dir} as {@code demo.py}, executable, and returns its path. */
    public static Path extractTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path target = dir.resolve(RESOURCE);
        try (InputStream in = DemoCgi.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException("demo CGI script missing from the jar: " + RESOURCE);
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
        return target;
    }
}
