package org.liso.files;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.liso.http.HttpException;
import org.liso.server.spi.Response;

/**
 * Invariants of the way a raw request path becomes a file (PathResolver, then FileLookup, then the whole
 * FileHandler) on arbitrary bytes, against a real tree that has symlinks leading out of the root:
 * <ul>
 * <li>the only exception is HttpException with a 4xx status;</li>
 * <li>the lexical result, normalized, stays under the root, and its segments are plain names;</li>
 * <li>a file or listing found has a real path under the root;</li>
 * <li>a redirect's Location is a path on this server ({@code /x/}, never {@code //host} or {@code /\host}) that
 * resolves to the same directory;</li>
 * <li>no response body ever holds the secret that lies beside the root.</li>
 * </ul>
 * Seeds: PathResolverFuzzTestInputs/resolve (replayed by every {@code mvn test}).
 */
class PathResolverFuzzTest {
    private static final String SECRET = "SECRET-OUTSIDE-THE-ROOT";

    @TempDir
    static Path base;
    private static Path root;
    private static FileLookup lookup;
    private static FileHandler handler;

    @BeforeAll
    static void tree() throws IOException {
        Path outside = Files.createDirectories(base.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), SECRET);
        Files.writeString(base.resolve("secret.txt"), SECRET);
        Path r = Files.createDirectories(base.resolve("www"));
        Files.writeString(r.resolve("index.html"), "root index");
        Files.createDirectories(r.resolve("dir/sub"));
        Files.writeString(r.resolve("dir/index.html"), "dir index");
        Files.writeString(r.resolve("dir/sub/a.txt"), "a");
        Files.createDirectories(r.resolve("empty"));
        Files.writeString(r.resolve("%2e%2e"), "literal percent name");
        Files.writeString(r.resolve("caf\u00e9.txt"), "utf-8 name");
        Files.createSymbolicLink(r.resolve("in-link"), Path.of("dir"));
        Files.createSymbolicLink(r.resolve("out-dir"), Path.of("../outside"));
        Files.createSymbolicLink(r.resolve("dir/out-file"), Path.of("../../secret.txt"));
        Files.createSymbolicLink(r.resolve("abs-out"), base.resolve("outside").toAbsolutePath());
        Files.createSymbolicLink(r.resolve("loop"), Path.of("loop"));
        root = r.toRealPath();
        lookup = new FileLookup(root, false, true);
        handler = new FileHandler(root, FileOptions.DEFAULT.withListDirectories(true));
    }

    @FuzzTest(maxDuration = "60s")
    void resolve(byte[] input) {
        String raw = new String(input, StandardCharsets.ISO_8859_1);
        RequestPath path;
        try {
            path = PathResolver.parse(raw);
        } catch (HttpException e) {
            assertThat(e.status()).as(raw).isBetween(400, 499);
            return;
        }
        for (String s : path.segments()) {
            assertThat(s).isNotEmpty().isNotEqualTo(".").isNotEqualTo("..").doesNotContain("/", "\0", "\\");
        }
        assertThat(path.under(root).normalize().startsWith(root)).as("%s stays under the root", raw).isTrue();
        try {
            FileLookup.Found found = lookup.find(path);
            if (found instanceof FileLookup.RegularFile f) {
                assertThat(f.path().startsWith(root)).as("%s found %s", raw, f.path()).isTrue();
                assertThat(Files.readString(f.path(), StandardCharsets.ISO_8859_1)).doesNotContain(SECRET);
            } else if (found instanceof FileLookup.Listing l) {
                assertThat(l.directory().toRealPath().startsWith(root)).as("%s lists %s", raw, l.directory()).isTrue();
            } else if (found instanceof FileLookup.Redirect r) {
                assertLocalLocation(r.location());
                assertThat(PathResolver.parse(r.location()).segments()).isEqualTo(path.segments());
            }
        } catch (HttpException e) {
            assertThat(e.status()).as(raw).isBetween(400, 499);
        } catch (IOException e) {
            throw new AssertionError("reading what the lookup found: " + e, e);
        }
        throughTheHandler(raw);
    }

    /** The same path as a real request (when it can be one) through the whole handler, cache included. */
    private static void throughTheHandler(String raw) {
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '?' || c == '#') {
                return;
            }
        }
        RecordingExchange exchange;
        try {
            exchange = RecordingExchange.of("GET", raw);
        } catch (IllegalArgumentException parserRefused) {
            return;
        }
        try {
            handler.handle(exchange);
        } catch (HttpException e) {
            assertThat(e.status()).as(raw).isBetween(400, 499);
            return;
        }
        Response response = exchange.response();
        assertThat(response.status()).as(raw).isIn(200, 301);
        if (response.status() == 301) {
            assertLocalLocation(exchange.header("Location"));
        }
        assertThat(new String(exchange.body(), StandardCharsets.ISO_8859_1)).doesNotContain(SECRET);
    }

    private static void assertLocalLocation(String location) {
        assertThat(location).startsWith("/").endsWith("/");
        if (location.length() > 1) {
            assertThat(location.charAt(1)).isNotIn('/', '\\');
        }
    }
}
