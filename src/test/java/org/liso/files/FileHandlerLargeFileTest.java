package org.liso.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.http.HttpException;
import org.liso.server.spi.Body;

/** Files beyond the cache go out as file regions, never read into memory; sizes past 2 GiB included. */
class FileHandlerLargeFileTest {
    private static final long HUGE = 3L * 1024 * 1024 * 1024 + 5;
    private static final long MARK_AT = 3_000_000_000L;

    @TempDir
    Path root;

    private FileHandler handler;

    @BeforeEach
    void sparseFile() throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(root.resolve("huge.bin").toFile(), "rw")) {
            f.setLength(HUGE);
            f.seek(MARK_AT);
            f.write("MARK".getBytes(StandardCharsets.US_ASCII));
        }
        Files.write(root.resolve("small.bin"), new byte[1024]);
        Files.write(root.resolve("edge.bin"), new byte[1025]);
        handler = new FileHandler(root, FileOptions.DEFAULT.withCache(1 << 20, 1024));
    }

    private RecordingExchange run(String method, String target, String... fields) throws HttpException {
        RecordingExchange x = RecordingExchange.of(method, target, fields);
        handler.handle(x);
        return x;
    }

    @Test
    void wholeHugeFileIsOneRegion() throws HttpException, IOException {
        RecordingExchange x = run("GET", "/huge.bin");
        assertThat(x.status()).isEqualTo(200);
        Body.FileRegion region = (Body.FileRegion) x.response().body();
        assertThat(region.position()).isZero();
        assertThat(region.length()).isEqualTo(HUGE);
        assertThat(region.file().size()).isEqualTo(HUGE);
        region.release();
        assertThat(region.file().isOpen()).as("release closes the channel").isFalse();
    }

    @Test
    void rangesBeyondTwoGibibytes() throws HttpException {
        RecordingExchange x = run("GET", "/huge.bin", "Range: bytes=" + MARK_AT + "-" + (MARK_AT + 3));
        assertThat(x.status()).isEqualTo(206);
        assertThat(x.header("Content-Range")).isEqualTo("bytes " + MARK_AT + "-" + (MARK_AT + 3) + "/" + HUGE);
        Body.FileRegion region = (Body.FileRegion) x.response().body();
        assertThat(region.position()).isEqualTo(MARK_AT);
        assertThat(new String(x.body(), StandardCharsets.US_ASCII)).isEqualTo("MARK");

        RecordingExchange tail = run("GET", "/huge.bin", "Range: bytes=-5");
        assertThat(tail.header("Content-Range")).isEqualTo("bytes " + (HUGE - 5) + "-" + (HUGE - 1) + "/" + HUGE);
        assertThat(tail.body()).containsOnly(0);

        RecordingExchange beyond = run("GET", "/huge.bin", "Range: bytes=" + HUGE + "-");
        assertThat(beyond.status()).isEqualTo(416);
        assertThat(beyond.header("Content-Range")).isEqualTo("bytes */" + HUGE);
    }

    @Test
    void headAndNotModifiedNeedNoRead() throws HttpException {
        RecordingExchange head = run("HEAD", "/huge.bin");
        assertThat(head.response().body().length()).isEqualTo(HUGE);
        head.response().body().release();
        RecordingExchange cond = run("GET", "/huge.bin", "If-None-Match: " + head.header("ETag"));
        assertThat(cond.status()).isEqualTo(304);
        assertThat(cond.response().body()).isInstanceOf(Body.Empty.class);
    }

    @Test
    void theCacheTakesFilesUpToItsLimitOnly() throws HttpException {
        assertThat(run("GET", "/small.bin").response().body()).isInstanceOf(Body.Bytes.class);
        RecordingExchange edge = run("GET", "/edge.bin");
        assertThat(edge.response().body()).isInstanceOf(Body.FileRegion.class);
        assertThat(edge.body()).hasSize(1025);
    }

    @Test
    void withoutCacheEverythingIsARegion() throws HttpException {
        handler = new FileHandler(root, FileOptions.DEFAULT.withCache(0, 0));
        RecordingExchange x = run("GET", "/small.bin");
        assertThat(x.response().body()).isInstanceOf(Body.FileRegion.class);
        assertThat(x.body()).hasSize(1024);
        RecordingExchange part = run("GET", "/small.bin", "Range: bytes=1000-");
        assertThat(((Body.FileRegion) part.response().body()).position()).isEqualTo(1000);
        assertThat(part.body()).hasSize(24);
    }
}
