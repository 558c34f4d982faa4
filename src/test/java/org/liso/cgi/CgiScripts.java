package org.liso.cgi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Copies the test scripts out of the test resources and makes them executable (resources lose the x bit). */
final class CgiScripts {
    private CgiScripts() {
    }

    static Path install(String name, Path dir) {
        try (InputStream in = CgiScripts.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test script " + name);
            }
            Path target = dir.resolve(name);
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
