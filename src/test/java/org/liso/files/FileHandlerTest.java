package org.liso.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.http.HttpDate;
import org.liso.http.HttpException;
import org.liso.server.spi.Body;

class FileHandlerTest {
    private static final String HELLO = "hello, static world\n";

    @TempDir
    Path root;

    private FileHandler handler;

    @BeforeEach
    void site() throws IOException {
        Files.writeString(root.resolve("hello.txt"), HELLO);
        Files.writeString(root.resolve("index.html"), "<h1>home</h1>");
        Files.createDirectories(root.resolve("docs"));
        Files.writeString(root.resolve("docs/index.html"), "<h1>docs</h1>");
        Files.createDirectories(root.resolve("empty"));
        Files.writeString(root.resolve("a b.css"), "body{}");
        handler = new FileHandler(root, FileOptions.DEFAULT);
    }

    private RecordingExchange run(String method, String target, String... fields) throws HttpException {
        RecordingExchange x = RecordingExchange.of(method, target, fields);
        handler.handle(x);
        return x;
    }

    private int statusOf(String method, String target, String... fields) {
        HttpException e = catchThrowableOfType(() -> run(method, target, fields), HttpException.class);
        assertThat(e).as("%s %s should fail", method, target).isNotNull();
        return e.status();
    }

    @Test
    void getServesTheFileWithTypeAndValidators() throws HttpException {
        RecordingExchange x = run("GET", "/hello.txt");
        assertThat(x.status()).isEqualTo(200);
        assertThat(x.bodyText()).isEqualTo(HELLO);
        assertThat(x.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
        assertThat(x.header("Accept-Ranges")).isEqualTo("bytes");
        assertThat(x.header("ETag")).matches("\"[0-9a-f]+-[0-9a-f]+-[0-9a-f]+\"");
        assertThat(HttpDate.parse(x.header("Last-Modified"))).isPositive();
        assertThat(x.response().headers().contains("Content-Length")).as("framing is the server's").isFalse();
        assertThat(x.response().body().length()).isEqualTo(HELLO.length());
    }

    @Test
    void headGivesTheSameHeadAndABodyOfTheRightLength() throws HttpException {
        RecordingExchange get = run("GET", "/hello.txt");
        RecordingExchange head = run("HEAD", "/hello.txt");
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("ETag")).isEqualTo(get.header("ETag"));
        assertThat(head.header("Content-Type")).isEqualTo(get.header("Content-Type"));
        assertThat(head.response().body().length()).isEqualTo(HELLO.length());
    }

    @Test
    void encodedNamesAndQueryStrings() throws HttpException {
        assertThat(run("GET", "/a%20b.css?v=3").bodyText()).isEqualTo("body{}");
        assertThat(run("GET", "/a%20b.css").header("Content-Type")).isEqualTo("text/css; charset=utf-8");
    }

    @Test
    void directoriesServeIndexHtml() throws HttpException {
        assertThat(run("GET", "/").bodyText()).isEqualTo("<h1>home</h1>");
        assertThat(run("GET", "/docs/").bodyText()).isEqualTo("<h1>docs</h1>");
        assertThat(run("GET", "/docs/").header("Content-Type")).isEqualTo("text/html; charset=utf-8");
        assertThat(run("GET", "/docs/./").bodyText()).isEqualTo("<h1>docs</h1>");
    }

    @Test
    void directoryWithoutSlashRedirectsKeepingTheQuery() throws HttpException {
        RecordingExchange x = run("GET", "/docs");
        assertThat(x.status()).isEqualTo(301);
        assertThat(x.header("Location")).isEqualTo("/docs/");
        assertThat(run("GET", "/docs?lang=en&x=%20").header("Location")).isEqualTo("/docs/?lang=en&x=%20");
        assertThat(run("HEAD", "/empty").header("Location")).isEqualTo("/empty/");
    }

    @Test
    void redirectLocationIsCanonicalNotEchoed() throws HttpException {
        assertThat(run("GET", "//docs").header("Location")).isEqualTo("/docs/");
        assertThat(run("GET", "/x/../docs").header("Location")).isEqualTo("/docs/");
    }

    @Test
    void directoryWithoutIndexIsForbiddenUnlessListingIsOn() throws HttpException {
        assertThat(statusOf("GET", "/empty/")).isEqualTo(403);
        handler = new FileHandler(root, FileOptions.DEFAULT.withListDirectories(true));
        RecordingExchange x = run("GET", "/empty/");
        assertThat(x.status()).isEqualTo(200);
        assertThat(x.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
        assertThat(x.bodyText()).contains("Index of /empty/").contains("href=\"../\"");
    }

    @Test
    void listingIsSortedEscapedAndEncoded() throws IOException, HttpException {
        Path d = Files.createDirectories(root.resolve("list"));
        Files.writeString(d.resolve("b.txt"), "b");
        Files.writeString(d.resolve("a.txt"), "a");
        Files.writeString(d.resolve("<img src=x onerror=alert(1)>.html"), "x");
        Files.writeString(d.resolve("javascript:alert(1)"), "x");
        Files.writeString(d.resolve("caf\u00e9 & \"q\".txt"), "x");
        Files.createDirectories(d.resolve("sub dir"));
        handler = new FileHandler(root, FileOptions.DEFAULT.withListDirectories(true));
        String html = run("GET", "/list/").bodyText();
        assertThat(html).doesNotContain("<img");
        assertThat(html).contains("&lt;img src=x onerror=alert(1)&gt;.html")
                .contains("href=\"./%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E.html\"")
                .contains("href=\"./javascript%3Aalert%281%29\"")
                .contains("href=\"./caf%C3%A9%20%26%20%22q%22.txt\">caf\u00e9 &amp; &quot;q&quot;.txt</a>")
                .contains("href=\"./sub%20dir/\">sub dir/</a>");
        assertThat(html.indexOf(">a.txt<")).isLessThan(html.indexOf(">b.txt<"));
        assertThat(html.indexOf(">b.txt<")).isLessThan(html.indexOf(">caf"));
    }

    @Test
    void missingIs404AndAFileWithATrailingSlashToo() {
        assertThat(statusOf("GET", "/nope.txt")).isEqualTo(404);
        assertThat(statusOf("GET", "/docs/nope/deeper")).isEqualTo(404);
        assertThat(statusOf("GET", "/hello.txt/")).isEqualTo(404);
        assertThat(statusOf("GET", "/hello.txt/x")).isEqualTo(404);
    }

    @Test
    void traversalNeverLeavesTheRoot() {
        assertThat(statusOf("GET", "/../../../../etc/passwd")).isEqualTo(404);
        assertThat(statusOf("GET", "/%2e%2e/%2e%2e/etc/passwd")).isEqualTo(404);
        assertThat(statusOf("GET", "/..%2f..%2fetc%2fpasswd")).isEqualTo(400);
        assertThat(statusOf("GET", "/hello.txt%00.html")).isEqualTo(400);
        assertThat(statusOf("GET", "/%252e%252e/etc/passwd")).isEqualTo(404);
        assertThat(statusOf("GET", "/a%5c..%5chello.txt")).isEqualTo(400);
    }

    @Test
    void postIs405WithAllowButMissingStays404() throws HttpException {
        RecordingExchange x = run("POST", "/hello.txt", "Content-Length: 0");
        assertThat(x.status()).isEqualTo(405);
        assertThat(x.header("Allow")).isEqualTo("GET, HEAD");
        assertThat(run("DELETE", "/hello.txt").header("Allow")).isEqualTo("GET, HEAD");
        assertThat(run("PUT", "/", "Content-Length: 0").status()).isEqualTo(405);
        assertThat(statusOf("POST", "/nope", "Content-Length: 0")).isEqualTo(404);
    }

    @Test
    void postServesTheFileAsAGetWhereTheOptionsSaySo() throws HttpException {
        handler = new FileHandler(root, FileOptions.DEFAULT.withPostServesFile(true));
        RecordingExchange get = run("GET", "/hello.txt");
        for (int i = 0; i < 2; i++) { // the second one comes from the small-file cache
            RecordingExchange x = run("POST", "/hello.txt", "Content-Length: 10");
            assertThat(x.status()).isEqualTo(200);
            assertThat(x.bodyText()).isEqualTo(HELLO);
            assertThat(x.header("ETag")).isEqualTo(get.header("ETag"));
        }
        assertThat(run("POST", "/docs/", "Content-Length: 1").bodyText()).isEqualTo("<h1>docs</h1>");
        // Conditionals and Range are evaluated as for the GET it is answered as (RFC 9110 §13.2.2, §14.2).
        assertThat(run("POST", "/hello.txt", "Content-Length: 1", "If-None-Match: " + get.header("ETag")).status())
                .isEqualTo(304);
        assertThat(run("POST", "/hello.txt", "Content-Length: 1", "Range: bytes=0-4").bodyText()).isEqualTo("hello");
        assertThat(statusOf("POST", "/nope", "Content-Length: 0")).isEqualTo(404);
        assertThat(run("PUT", "/hello.txt", "Content-Length: 0").status()).as("only POST").isEqualTo(405);
        assertThat(run("DELETE", "/hello.txt").status()).isEqualTo(405);
    }

    @Test
    void theHandoutTableGivesTypesWithoutCharset() throws HttpException {
        handler = new FileHandler(root, FileOptions.DEFAULT.withContentTypes(MimeTypes.HANDOUT));
        assertThat(run("GET", "/index.html").header("Content-Type")).isEqualTo("text/html");
        assertThat(run("HEAD", "/a%20b.css").header("Content-Type")).isEqualTo("text/css");
        assertThat(run("GET", "/hello.txt").header("Content-Type")).isEqualTo("application/octet-stream");
        assertThat(run("GET", "/hello.txt").header("Content-Type")).as("cached").isEqualTo("application/octet-stream");
    }

    @Test
    void conditionalGetGives304WithValidatorsAndNoBody() throws HttpException {
        RecordingExchange first = run("GET", "/hello.txt");
        String etag = first.header("ETag");
        String lastModified = first.header("Last-Modified");
        for (RecordingExchange x : new RecordingExchange[] {
            run("GET", "/hello.txt", "If-None-Match: " + etag),
            run("GET", "/hello.txt", "If-None-Match: \"zzz\", W/" + etag),
            run("HEAD", "/hello.txt", "If-None-Match: *"),
            run("GET", "/hello.txt", "If-Modified-Since: " + lastModified)}) {
            assertThat(x.status()).isEqualTo(304);
            assertThat(x.header("ETag")).isEqualTo(etag);
            assertThat(x.header("Last-Modified")).isEqualTo(lastModified);
            assertThat(x.response().body().length()).isZero();
        }
        assertThat(run("GET", "/hello.txt", "If-None-Match: \"old\"", "If-Modified-Since: " + lastModified).status())
                .as("If-None-Match wins over If-Modified-Since").isEqualTo(200);
        assertThat(statusOf("GET", "/hello.txt", "If-Match: \"old\"")).isEqualTo(412);
    }

    @Test
    void singleRangeGives206() throws HttpException {
        RecordingExchange x = run("GET", "/hello.txt", "Range: bytes=0-4");
        assertThat(x.status()).isEqualTo(206);
        assertThat(x.header("Content-Range")).isEqualTo("bytes 0-4/" + HELLO.length());
        assertThat(x.bodyText()).isEqualTo("hello");
        assertThat(x.header("ETag")).isNotNull();
        RecordingExchange suffix = run("GET", "/hello.txt", "Range: bytes=-6");
        assertThat(suffix.bodyText()).isEqualTo("world\n");
        assertThat(suffix.header("Content-Range")).isEqualTo("bytes 14-19/20");
        assertThat(run("GET", "/hello.txt", "Range: bytes=7-").bodyText()).isEqualTo("static world\n");
    }

    @Test
    void unsatisfiableRangeGives416WithTheLength() throws HttpException {
        RecordingExchange x = run("GET", "/hello.txt", "Range: bytes=100-200");
        assertThat(x.status()).isEqualTo(416);
        assertThat(x.header("Content-Range")).isEqualTo("bytes */" + HELLO.length());
    }

    @Test
    void ignoredRangesGiveTheWholeFile() throws HttpException {
        assertThat(run("GET", "/hello.txt", "Range: pages=1-2").status()).isEqualTo(200);
        assertThat(run("HEAD", "/hello.txt", "Range: bytes=0-4").status()).as("Range is for GET").isEqualTo(200);
        String etag = run("GET", "/hello.txt").header("ETag");
        String lm = run("GET", "/hello.txt").header("Last-Modified");
        assertThat(run("GET", "/hello.txt", "Range: bytes=0-4", "If-Range: " + etag).status()).isEqualTo(206);
        assertThat(run("GET", "/hello.txt", "Range: bytes=0-4", "If-Range: " + lm).status()).isEqualTo(206);
        RecordingExchange stale = run("GET", "/hello.txt", "Range: bytes=0-4", "If-Range: \"stale\"");
        assertThat(stale.status()).isEqualTo(200);
        assertThat(stale.bodyText()).isEqualTo(HELLO);
    }

    @Test
    void contentTypeFollowsTheExtension() throws IOException, HttpException {
        Files.write(root.resolve("logo.SVG"), "<svg/>".getBytes(StandardCharsets.UTF_8));
        Files.write(root.resolve("blob"), new byte[] {1, 2, 3});
        assertThat(run("GET", "/logo.SVG").header("Content-Type")).isEqualTo("image/svg+xml; charset=utf-8");
        assertThat(run("GET", "/blob").header("Content-Type")).isEqualTo("application/octet-stream");
    }

    @Test
    void cachedHitsShareOneBodyAndOneSetOfStrings() throws HttpException {
        RecordingExchange a = run("GET", "/hello.txt");
        RecordingExchange b = run("GET", "/hello.txt");
        Body first = a.response().body();
        assertThat(b.response().body()).isSameAs(first);
        assertThat(b.header("ETag")).isSameAs(a.header("ETag"));
        assertThat(b.bodyText()).isEqualTo(HELLO);
        assertThat(a.bodyText()).as("a shared body is sent through views, never consumed").isEqualTo(HELLO);
    }

    @Test
    void rootMustBeAReadableDirectory() throws IOException {
        assertThatThrownBy(() -> new FileHandler(root.resolve("missing"), FileOptions.DEFAULT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing");
        assertThatThrownBy(() -> new FileHandler(root.resolve("hello.txt"), FileOptions.DEFAULT))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
