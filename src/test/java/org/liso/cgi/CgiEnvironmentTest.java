package org.liso.cgi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.liso.Liso;
import org.liso.http.Headers;
import org.liso.http.HttpException;

class CgiEnvironmentTest {

    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 8080);
    private static final InetSocketAddress REMOTE = new InetSocketAddress("127.0.0.1", 50123);

    private static RequestFacts facts(String method, String target, boolean secure, String... headerPairs) {
        Headers h = new Headers();
        for (int i = 0; i < headerPairs.length; i += 2) {
            h.add(headerPairs[i], headerPairs[i + 1]);
        }
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        String query = q < 0 ? null : target.substring(q + 1);
        String length = h.get("Content-Length");
        return new RequestFacts(method, target, path, query, "HTTP/1.1", h, LOCAL, REMOTE, secure,
                length == null ? -1 : Long.parseLong(length.trim()));
    }

    private static RequestFacts withBody(RequestFacts f, long bodyLength) {
        return new RequestFacts(f.method(), f.target(), f.path(), f.query(), f.protocol(), f.headers(), f.local(),
                f.remote(), f.secure(), bodyLength);
    }

    private static Map<String, String> env(RequestFacts f) throws HttpException {
        return CgiEnvironment.build(f, CgiOptions.DEFAULT.withDocumentRoot(Path.of("/srv/www")), "/usr/bin:/bin");
    }

    @Test
    void theIssueExample() throws HttpException {
        Map<String, String> env = env(facts("GET", "/cgi/testfun/arg1/arg2?test=test", false,
                "Host", "localhost:8080", "User-Agent", "curl/8", "Accept", "*/*"));
        assertThat(env).containsEntry("GATEWAY_INTERFACE", "CGI/1.1")
                .containsEntry("SERVER_SOFTWARE", Liso.SERVER)
                .containsEntry("SERVER_NAME", "localhost")
                .containsEntry("SERVER_PORT", "8080")
                .containsEntry("SERVER_PROTOCOL", "HTTP/1.1")
                .containsEntry("REQUEST_METHOD", "GET")
                .containsEntry("REQUEST_URI", "/cgi/testfun/arg1/arg2?test=test")
                .containsEntry("SCRIPT_NAME", "/cgi")
                .containsEntry("PATH_INFO", "/testfun/arg1/arg2")
                .containsEntry("PATH_TRANSLATED", "/srv/www/testfun/arg1/arg2")
                .containsEntry("QUERY_STRING", "test=test")
                .containsEntry("REMOTE_ADDR", "127.0.0.1")
                .containsEntry("REMOTE_PORT", "50123")
                .containsEntry("HTTP_HOST", "localhost:8080")
                .containsEntry("HTTP_USER_AGENT", "curl/8")
                .containsEntry("HTTP_ACCEPT", "*/*")
                .containsEntry("PATH", "/usr/bin:/bin")
                .doesNotContainKeys("HTTPS", "CONTENT_LENGTH", "CONTENT_TYPE");
    }

    static Stream<Arguments> table() {
        return Stream.of(
                // target, secure, headers, variable, expected (null: unset)
                Arguments.of("/cgi", false, new String[0], "PATH_INFO", null),
                Arguments.of("/cgi", false, new String[0], "PATH_TRANSLATED", null),
                Arguments.of("/cgi", false, new String[0], "QUERY_STRING", ""),
                Arguments.of("/cgi/", false, new String[0], "PATH_INFO", "/"),
                Arguments.of("/cgi/a%20b/%C3%A9", false, new String[0], "PATH_INFO", "/a b/\u00e9"),
                Arguments.of("/cgi/a%2Fb", false, new String[0], "PATH_INFO", "/a/b"),
                Arguments.of("/cgi/a+b", false, new String[0], "PATH_INFO", "/a+b"),
                Arguments.of("/cgi/x?a=%20b&c", false, new String[0], "QUERY_STRING", "a=%20b&c"),
                Arguments.of("/cgi/x?", false, new String[0], "QUERY_STRING", ""),
                Arguments.of("/cgi/x%3Fy?z", false, new String[0], "REQUEST_URI", "/cgi/x%3Fy?z"),
                Arguments.of("/cgi/x", true, new String[0], "HTTPS", "on"),
                Arguments.of("/cgi/x", false, new String[0], "HTTPS", null),
                Arguments.of("/cgi/x", false, new String[] {"Proxy", "http://evil:3128"}, "HTTP_PROXY", null),
                Arguments.of("/cgi/x", false, new String[] {"proxy", "http://evil:3128"}, "HTTP_PROXY", null),
                Arguments.of("/cgi/x", false, new String[] {"X-Forwarded-For", "10.0.0.1"}, "HTTP_X_FORWARDED_FOR",
                        "10.0.0.1"),
                Arguments.of("/cgi/x", false, new String[] {"X_Forwarded_For", "10.0.0.1"}, "HTTP_X_FORWARDED_FOR",
                        null),
                Arguments.of("/cgi/x", false, new String[] {"Accept", "a", "accept", "b"}, "HTTP_ACCEPT", "a, b"),
                Arguments.of("/cgi/x", false, new String[] {"Cookie", "a=1", "Cookie", "b=2"}, "HTTP_COOKIE",
                        "a=1; b=2"),
                Arguments.of("/cgi/x", false, new String[] {"Content-Length", " 12 "}, "CONTENT_LENGTH", "12"),
                Arguments.of("/cgi/x", false, new String[] {"Content-Length", "12"}, "HTTP_CONTENT_LENGTH", null),
                Arguments.of("/cgi/x", false, new String[] {"Content-Type", "text/plain"}, "CONTENT_TYPE",
                        "text/plain"),
                Arguments.of("/cgi/x", false, new String[] {"Content-Type", "text/plain"}, "HTTP_CONTENT_TYPE", null),
                Arguments.of("/cgi/x", false, new String[] {"Transfer-Encoding", "chunked"}, "CONTENT_LENGTH", null),
                Arguments.of("/cgi/x", false, new String[] {"Host", "[::1]:8080"}, "SERVER_NAME", "[::1]"),
                Arguments.of("/cgi/x", false, new String[] {"Host", "example.test"}, "SERVER_NAME", "example.test"),
                Arguments.of("/cgi/x", false, new String[0], "SERVER_NAME", "127.0.0.1"),
                Arguments.of("/cgi/x", false, new String[0], "REMOTE_HOST", "127.0.0.1"));
    }

    @ParameterizedTest(name = "{0} {2} -> {3}={4}")
    @MethodSource("table")
    void metaVariable(String target, boolean secure, String[] headers, String name, String expected)
            throws HttpException {
        Map<String, String> env = env(facts("GET", target, secure, headers));
        if (expected == null) {
            assertThat(env).doesNotContainKey(name);
        } else {
            assertThat(env).containsEntry(name, expected);
        }
    }

    @Test
    void postCarriesLengthTypeAndMethod() throws HttpException {
        Map<String, String> env = env(facts("POST", "/cgi/form", false, "Host", "h",
                "Content-Type", "application/x-www-form-urlencoded", "Content-Length", "7"));
        assertThat(env).containsEntry("REQUEST_METHOD", "POST").containsEntry("CONTENT_LENGTH", "7")
                .containsEntry("CONTENT_TYPE", "application/x-www-form-urlencoded");
    }

    @Test
    void aDecodedChunkedBodyHasItsLengthAndNoTransferEncoding() throws HttpException {
        // §4.1.2: CONTENT_LENGTH is the length after the transfer coding was removed, and stdin carries no coding.
        Map<String, String> env = env(withBody(facts("POST", "/cgi/x", false, "Host", "h",
                "Transfer-Encoding", "chunked"), 11));
        assertThat(env).containsEntry("CONTENT_LENGTH", "11").doesNotContainKey("HTTP_TRANSFER_ENCODING");
    }

    @Test
    void canonicalServerNameWinsOverHost() throws HttpException {
        Map<String, String> env = CgiEnvironment.build(facts("GET", "/cgi", false, "Host", "other:1"),
                CgiOptions.DEFAULT.withServerName("www.example.test"), null);
        assertThat(env).containsEntry("SERVER_NAME", "www.example.test")
                .containsEntry("PATH", CgiEnvironment.DEFAULT_PATH);
    }

    @Test
    void serverSoftwareIsWhatTheServerFieldSays() throws HttpException {
        Map<String, String> env = CgiEnvironment.build(facts("GET", "/cgi", false),
                CgiOptions.DEFAULT.withServerSoftware("Liso/1.0"), null);
        assertThat(env).containsEntry("SERVER_SOFTWARE", "Liso/1.0");
    }

    @Test
    void noDocumentRootLeavesPathTranslatedUnset() throws HttpException {
        Map<String, String> env = CgiEnvironment.build(facts("GET", "/cgi/x", false), CgiOptions.DEFAULT, null);
        assertThat(env).containsEntry("PATH_INFO", "/x").doesNotContainKey("PATH_TRANSLATED");
    }

    @Test
    void malformedOrNulEscapesAreBadRequests() {
        for (String target : new String[] {"/cgi/%", "/cgi/%4", "/cgi/%zz", "/cgi/a%00b", "/cgi/%\u0661\u0662"}) {
            assertThatThrownBy(() -> env(facts("GET", target, false)))
                    .as(target).isInstanceOf(HttpException.class)
                    .satisfies(e -> assertThat(((HttpException) e).status()).isEqualTo(400));
        }
    }
}
