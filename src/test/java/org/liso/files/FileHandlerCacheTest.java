package org.liso.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.http.HttpException;

/** A changed file shows within a second: the cache revalidates on a clock the test moves by hand. */
class FileHandlerCacheTest {
    @TempDir
    Path tmp;

    private Path root;
    private final AtomicLong clock = new AtomicLong(1_000_000);
    private FileHandler handler;

    @BeforeEach
    void site() throws IOException {
        root = Files.createDirectories(tmp.resolve("www"));
        Files.writeString(root.resolve("page.html"), "version one");
        handler = new FileHandler(root, FileOptions.DEFAULT, clock::get);
    }

    private RecordingExchange get(String target, String... fields) throws HttpException {
        RecordingExchange x = RecordingExchange.of("GET", target, fields);
        handler.handle(x);
        return x;
    }

    @Test
    void aChangeIsSeenOnceASecondHasPassed() throws IOException, HttpException {
        RecordingExchange before = get("/page.html");
        assertThat(before.bodyText()).isEqualTo("version one");
        Files.writeString(root.resolve("page.html"), "version two, longer");

        clock.addAndGet(999);
        assertThat(get("/page.html").bodyText()).as("within the second, the cached copy").isEqualTo("version one");

        clock.addAndGet(1);
        RecordingExchange after = get("/page.html");
        assertThat(after.bodyText()).isEqualTo("version two, longer");
        assertThat(after.header("ETag")).isNotEqualTo(before.header("ETag"));
        assertThat(get("/page.html", "If-None-Match: " + before.header("ETag")).status()).isEqualTo(200);
        assertThat(get("/page.html", "If-None-Match: " + after.header("ETag")).status()).isEqualTo(304);
    }

    @Test
    void sameSizeNewMtimeIsAChangeToo() throws IOException, HttpException {
        Path page = root.resolve("page.html");
        FileTime old = Files.getLastModifiedTime(page);
        String etag = get("/page.html").header("ETag");
        Files.writeString(page, "version 1!!");
        Files.setLastModifiedTime(page, FileTime.fromMillis(old.toMillis() + 5000));
        clock.addAndGet(1000);
        RecordingExchange x = get("/page.html");
        assertThat(x.bodyText()).isEqualTo("version 1!!");
        assertThat(x.header("ETag")).isNotEqualTo(etag);
    }

    @Test
    void aReplacedFileIsANewFile() throws IOException, HttpException {
        String etag = get("/page.html").header("ETag");
        Path next = root.resolve(".next");
        Files.writeString(next, "version one");
        Files.setLastModifiedTime(next, Files.getLastModifiedTime(root.resolve("page.html")));
        Files.move(next, root.resolve("page.html"), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        clock.addAndGet(1000);
        assertThat(get("/page.html").header("ETag")).as("same size and mtime, other inode").isNotEqualTo(etag);
    }

    @Test
    void deletedOrEscapedFilesStopBeingServed() throws IOException, HttpException {
        get("/page.html");
        Files.delete(root.resolve("page.html"));
        clock.addAndGet(1000);
        assertThat(catchThrowableOfType(() -> get("/page.html"), HttpException.class).status()).isEqualTo(404);

        Files.writeString(root.resolve("page.html"), "back");
        assertThat(get("/page.html").bodyText()).isEqualTo("back");
        Path outside = Files.writeString(tmp.resolve("outside.html"), "secret");
        Files.delete(root.resolve("page.html"));
        Files.createSymbolicLink(root.resolve("page.html"), outside);
        clock.addAndGet(1000);
        assertThat(catchThrowableOfType(() -> get("/page.html"), HttpException.class).status()).isEqualTo(403);
    }

    @Test
    void directoryIndexIsCachedUnderItsOwnPath() throws IOException, HttpException {
        Files.writeString(root.resolve("index.html"), "home");
        assertThat(get("/").bodyText()).isEqualTo("home");
        Files.delete(root.resolve("index.html"));
        clock.addAndGet(1000);
        assertThat(catchThrowableOfType(() -> get("/"), HttpException.class).status()).isEqualTo(403);
    }
}
