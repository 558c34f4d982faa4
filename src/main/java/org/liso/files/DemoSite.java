package org.liso.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The demo site bundled in the jar, which {@code liso serve} shows when no {@code --root} is given. It is copied to a
 * directory first, so that it is served like any other root: from disk, with real validators and zero-copy sends.
 */
public final class DemoSite {
    /** The files of the site, relative to the resource folder and to the target directory. */
    static final List<String> FILES = List.of("index.html", "cgi.html", "style.css", "liso.svg");

    private static final String RESOURCES = "/org/liso/files/demo/";

    private DemoSite() {
    }

    /**
     * Copies the site into {@code dir} (created if missing; existing files of the same names replaced).
     *
     * @return {@code dir}, ready to be a document root
     */
    public static Path extractTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String name : FILES) {
            try (InputStream in = DemoSite.class.getResourceAsStream(RESOURCES + name)) {
                if (in == null) {
                    throw new IOException("demo resource missing from the build: " + RESOURCES + name);
                }
                Files.copy(in, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return dir;
    }
}
