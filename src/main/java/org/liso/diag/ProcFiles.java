package org.liso.diag;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads /proc and /proc/sys files. They report size 0 and some (sysctl files) answer a positioned read with only
 * part of their text, so Files.readAllBytes/readString can return "1" for a file holding "1024"; a plain
 * sequential stream reads them whole.
 */
final class ProcFiles {
    private ProcFiles() {
    }

    static byte[] bytes(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            return in.readAllBytes();
        }
    }

    static String text(Path p) throws IOException {
        return new String(bytes(p), StandardCharsets.UTF_8);
    }
}
