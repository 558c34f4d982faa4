package org.liso.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.liso.http.HttpException;

/** Content negotiation on Accept-Encoding in the file handler: siblings, on-the-fly gzip, and what is never coded. */
class FileCompressionTest {
    private static final String SCRIPT = "function hello() { return 'hello, compressed world'; }\n".repeat(200);

    @TempDir
    Path root;

    private FileHandler handler;
    private final byte[] brBytes = "pretend brotli bytes: a sibling is sent as it is".getBytes(StandardCharsets.UTF_8);

    @BeforeEach
    void site() throws IOException {
        Files.writeString(root.resolve("app.js"), SCRIPT);
        Files.writeString(root.resolve("tiny.txt"), "tiny");
        Files.write(root.resolve("photo.png"), new byte[4096]);
        Files.writeString(root.resolve("lib.js"), SCRIPT);
        Files.write(root.resolve("lib.js.br"), brBytes);
        handler = new FileHandler(root, FileOptions.DEFAULT, SiteOptions.DEFAULT
                .withCaching(CacheRules.of(List.of("*.js=max-age=60"), List.of())));
    }

    private RecordingExchange run(String method, String target, String... fields) throws HttpException {
        RecordingExchange x = RecordingExchange.of(method, target, fields);
        handler.handle(x);
        return x;
    }

    private static byte[] gunzip(byte[] gz) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    @Test
    void textIsGzippedOnTheFlyWithItsOwnTagAndTheOriginalType() throws Exception {
        RecordingExchange plain = run("GET", "/app.js");
        RecordingExchange gz = run("GET", "/app.js", "Accept-Encoding: gzip, deflate");
        assertThat(plain.header("Content-Encoding")).isNull();
        assertThat(plain.header("Vary")).isEqualTo("Accept-Encoding");
        assertThat(gz.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(gz.header("Vary")).isEqualTo("Accept-Encoding");
        assertThat(gz.header("Content-Type")).isEqualTo(plain.header("Content-Type"));
        assertThat(gz.header("ETag")).isNotEqualTo(plain.header("ETag")).endsWith("-gz\"");
        assertThat(gz.header("Cache-Control")).isEqualTo("max-age=60");
        byte[] body = gz.body();
        assertThat(body.length).isLessThan(SCRIPT.length() / 10);
        assertThat(new String(gunzip(body), StandardCharsets.UTF_8)).isEqualTo(SCRIPT);
    }

    @Test
    void theGzipIsMadeOncePerVersionNotPerRequest() throws Exception {
        RecordingExchange first = run("GET", "/app.js", "Accept-Encoding: gzip");
        RecordingExchange second = run("GET", "/app.js", "Accept-Encoding: gzip");
        assertThat(second.response().body()).isSameAs(first.response().body());
        assertThat(second.header("ETag")).isEqualTo(first.header("ETag"));
    }

    @Test
    void aConditionalRequestOnTheGzipVariantIsA304WithVaryAndCacheControl() throws Exception {
        String tag = run("GET", "/app.js", "Accept-Encoding: gzip").header("ETag");
        RecordingExchange again = run("GET", "/app.js", "Accept-Encoding: gzip", "If-None-Match: " + tag);
        assertThat(again.status()).isEqualTo(304);
        assertThat(again.header("Vary")).isEqualTo("Accept-Encoding");
        assertThat(again.header("Cache-Control")).isEqualTo("max-age=60");
        // The gzip tag does not validate the identity representation.
        assertThat(run("GET", "/app.js", "If-None-Match: " + tag).status()).isEqualTo(200);
    }

    @Test
    void aRangeRequestIsNeverCodedOnTheFly() throws Exception {
        RecordingExchange x = run("GET", "/app.js", "Accept-Encoding: gzip", "Range: bytes=0-7");
        assertThat(x.status()).isEqualTo(206);
        assertThat(x.header("Content-Encoding")).isNull();
        assertThat(x.header("Vary")).isEqualTo("Accept-Encoding");
        assertThat(x.bodyText()).isEqualTo(SCRIPT.substring(0, 8));
    }

    @Test
    void compressedTypesAndSmallFilesAreSentAsTheyAre() throws Exception {
        RecordingExchange png = run("GET", "/photo.png", "Accept-Encoding: gzip");
        assertThat(png.header("Content-Encoding")).isNull();
        assertThat(png.header("Vary")).isNull();
        assertThat(png.body()).hasSize(4096);
        RecordingExchange tiny = run("GET", "/tiny.txt", "Accept-Encoding: gzip");
        assertThat(tiny.header("Content-Encoding")).isNull();
        assertThat(tiny.bodyText()).isEqualTo("tiny");
    }

    @Test
    void aPrecompressedSiblingIsPreferredAndKeepsItsOwnValidators() throws Exception {
        RecordingExchange br = run("GET", "/lib.js", "Accept-Encoding: gzip, deflate, br");
        assertThat(br.header("Content-Encoding")).isEqualTo("br");
        assertThat(br.header("Content-Type")).isEqualTo("text/javascript; charset=utf-8");
        assertThat(br.header("Vary")).isEqualTo("Accept-Encoding");
        String tag = br.header("ETag");
        assertThat(br.body()).isEqualTo(brBytes);
        assertThat(tag).isNotEqualTo(run("GET", "/lib.js").header("ETag"));
        // Range and If-None-Match work on the sibling's bytes and tag.
        RecordingExchange part = run("GET", "/lib.js", "Accept-Encoding: br", "Range: bytes=2-5");
        assertThat(part.status()).isEqualTo(206);
        assertThat(part.header("Content-Encoding")).isEqualTo("br");
        assertThat(part.header("Content-Range")).isEqualTo("bytes 2-5/" + brBytes.length);
        assertThat(part.body()).isEqualTo(Arrays.copyOfRange(brBytes, 2, 6));
        assertThat(run("GET", "/lib.js", "Accept-Encoding: br", "If-None-Match: " + tag).status()).isEqualTo(304);
        // gzip only: the sibling does not qualify, the file is gzipped on the fly.
        assertThat(run("GET", "/lib.js", "Accept-Encoding: gzip").header("Content-Encoding")).isEqualTo("gzip");
        assertThat(run("GET", "/lib.js", "Accept-Encoding: br;q=0.5, gzip").header("Content-Encoding"))
                .isEqualTo("gzip");
    }

    @Test
    void identityRefusedAndNothingElseAtHandIs406() {
        HttpException e = catchThrowableOfType(() -> run("GET", "/photo.png", "Accept-Encoding: identity;q=0"),
                HttpException.class);
        assertThat(e.status()).isEqualTo(406);
        HttpException star = catchThrowableOfType(() -> run("GET", "/tiny.txt", "Accept-Encoding: br, *;q=0"),
                HttpException.class);
        assertThat(star.status()).isEqualTo(406);
    }

    @Test
    void identityRefusedButGzipAtHandIsGzip() throws Exception {
        RecordingExchange x = run("GET", "/app.js", "Accept-Encoding: gzip, identity;q=0");
        assertThat(x.header("Content-Encoding")).isEqualTo("gzip");
    }

    @Test
    void aSiblingAddedLaterIsFoundWithinASecond() throws Exception {
        long[] now = {0};
        handler = new FileHandler(root, FileOptions.DEFAULT, SiteOptions.DEFAULT, () -> now[0]);
        assertThat(run("GET", "/app.js", "Accept-Encoding: zstd").header("Content-Encoding")).isNull();
        Files.write(root.resolve("app.js.zst"), new byte[] {1, 2, 3});
        now[0] += Variants.REVALIDATE_MILLIS;
        RecordingExchange x = run("GET", "/app.js", "Accept-Encoding: zstd");
        assertThat(x.header("Content-Encoding")).isEqualTo("zstd");
        assertThat(x.body()).containsExactly(1, 2, 3);
    }

    @Test
    void aSiblingOlderThanItsFileIsStaleAndIgnored() throws Exception {
        Path br = root.resolve("lib.js.br");
        Files.setLastModifiedTime(br, FileTime.fromMillis(Files.getLastModifiedTime(root.resolve("lib.js"))
                .toMillis() - 60_000));
        handler = new FileHandler(root, FileOptions.DEFAULT, SiteOptions.DEFAULT);
        RecordingExchange x = run("GET", "/lib.js", "Accept-Encoding: br");
        assertThat(x.header("Content-Encoding")).isNull();
        assertThat(x.bodyText()).isEqualTo(SCRIPT);
    }

    @Test
    void withoutSiteOptionsNothingChanges() throws Exception {
        handler = new FileHandler(root, FileOptions.DEFAULT);
        RecordingExchange x = run("GET", "/lib.js", "Accept-Encoding: br, gzip");
        assertThat(x.header("Content-Encoding")).isNull();
        assertThat(x.header("Vary")).isNull();
        assertThat(x.bodyText()).isEqualTo(SCRIPT);
    }
}
