package org.liso.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.http.HttpException;

class ErrorPageFallbackTest {
    @TempDir
    Path root;

    private FileHandler handler;

    @BeforeEach
    void site() throws IOException {
        Files.writeString(root.resolve("index.html"), "<div id=app></div>");
        Files.writeString(root.resolve("404.html"), "<h1>lost</h1>");
        Files.writeString(root.resolve("403.html"), "<h1>not yours</h1>");
        Files.createDirectories(root.resolve("private"));
        handler = new FileHandler(root, FileOptions.DEFAULT, SiteOptions.NONE
                .withErrorPages(Map.of(404, "/404.html", 403, "/403.html", 405, "/404.html"))
                .withFallback("/index.html"));
    }

    private RecordingExchange run(String method, String target) throws HttpException {
        RecordingExchange x = RecordingExchange.of(method, target);
        handler.handle(x);
        return x;
    }

    @Test
    void aRouteWithoutExtensionGetsTheFallbackWith200AndValidators() throws Exception {
        RecordingExchange x = run("GET", "/users/42");
        assertThat(x.status()).isEqualTo(200);
        assertThat(x.bodyText()).isEqualTo("<div id=app></div>");
        assertThat(x.header("ETag")).isEqualTo(run("GET", "/index.html").header("ETag"));
        assertThat(run("HEAD", "/settings").status()).isEqualTo(200);
    }

    @Test
    void aMissingAssetIsStillA404WithTheOperatorsPage() throws Exception {
        RecordingExchange x = run("GET", "/app.js");
        assertThat(x.status()).isEqualTo(404);
        assertThat(x.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
        assertThat(x.header("ETag")).as("an error is not a representation to revalidate").isNull();
        assertThat(x.bodyText()).isEqualTo("<h1>lost</h1>");
        assertThat(run("GET", "/img/logo.png").bodyText()).isEqualTo("<h1>lost</h1>");
    }

    @Test
    void otherStatusesGetTheirPages() throws Exception {
        RecordingExchange forbidden = run("GET", "/private/");
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.bodyText()).isEqualTo("<h1>not yours</h1>");
        RecordingExchange post = run("DELETE", "/index.html");
        assertThat(post.status()).isEqualTo(405);
        assertThat(post.header("Allow")).isEqualTo("GET, HEAD");
    }

    @Test
    void aMissingPageFallsBackToTheBuiltInOne() throws Exception {
        Files.delete(root.resolve("404.html"));
        HttpException e = catchThrowableOfType(() -> run("GET", "/app.js"), HttpException.class);
        assertThat(e.status()).isEqualTo(404);
    }

    @Test
    void withoutAFallbackARouteIsA404() {
        handler = new FileHandler(root, FileOptions.DEFAULT);
        HttpException e = catchThrowableOfType(() -> run("GET", "/users/42"), HttpException.class);
        assertThat(e.status()).isEqualTo(404);
    }
}
