package org.liso.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@link Request#of}: a request head from parts (HTTP/2's pseudo-headers) gets a request line's checks. */
class RequestFactoryTest {

    private static Headers host(String h) {
        Headers headers = new Headers();
        headers.add("host", h);
        return headers;
    }

    @Test
    void anOriginFormTargetIsSplitAsARequestLineWouldBe() throws HttpException {
        Request r = Request.of("GET", "/a/b?x=1", Version.HTTP_2, host("example.com"), BodyKind.NONE, -1);
        assertThat(r.method()).isEqualTo(Method.GET);
        assertThat(r.path()).isEqualTo("/a/b");
        assertThat(r.query()).isEqualTo("x=1");
        assertThat(r.host()).isEqualTo("example.com");
        assertThat(r.authority()).isEqualTo("example.com");
        assertThat(r.version().text()).isEqualTo("HTTP/2");
        assertThat(r.bodyKind()).isEqualTo(BodyKind.NONE);
        assertThat(r.toString()).isEqualTo("GET /a/b?x=1 HTTP/2");
    }

    @Test
    void bodiesOfKnownAndUnknownLength() throws HttpException {
        Request known = Request.of("POST", "/cgi", Version.HTTP_2, host("h"), BodyKind.LENGTH, 12);
        assertThat(known.bodyKind()).isEqualTo(BodyKind.LENGTH);
        assertThat(known.contentLength()).isEqualTo(12);
        Request unknown = Request.of("POST", "/cgi", Version.HTTP_2, host("h"), BodyKind.CHUNKED, -1);
        assertThat(unknown.bodyKind()).isEqualTo(BodyKind.CHUNKED);
        assertThat(unknown.contentLength()).isEqualTo(-1);
    }

    @Test
    void methodAndTargetAreCheckedLikeARequestLine() {
        assertThatThrownBy(() -> Request.of("GE T", "/", Version.HTTP_2, host("h"), BodyKind.NONE, -1))
                .isInstanceOfSatisfying(HttpException.class, e -> assertThat(e.status()).isEqualTo(400));
        assertThatThrownBy(() -> Request.of("M".repeat(40), "/", Version.HTTP_2, host("h"), BodyKind.NONE, -1))
                .isInstanceOfSatisfying(HttpException.class, e -> assertThat(e.status()).isEqualTo(501));
        assertThatThrownBy(() -> Request.of("GET", "/a#frag", Version.HTTP_2, host("h"), BodyKind.NONE, -1))
                .isInstanceOfSatisfying(HttpException.class, e -> assertThat(e.status()).isEqualTo(400));
        assertThatThrownBy(() -> Request.of("GET", "*", Version.HTTP_2, host("h"), BodyKind.NONE, -1))
                .isInstanceOfSatisfying(HttpException.class, e -> assertThat(e.status()).isEqualTo(400));
        assertThatThrownBy(() -> Request.of("GET", "", Version.HTTP_2, host("h"), BodyKind.NONE, -1))
                .isInstanceOf(HttpException.class);
    }

    @Test
    void theSameTargetParsesTheSameWayFromARequestLine() throws HttpException {
        String target = "/p%20q/r?s=%41&t";
        Request fromParts = Request.of("GET", target, Version.HTTP_1_1, host("h"), BodyKind.NONE, -1);
        RequestParser parser = new RequestParser(RequestLimits.DEFAULT);
        Request fromLine = parser.parse(java.nio.ByteBuffer.wrap(("GET " + target + " HTTP/1.1\r\nHost: h\r\n\r\n")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        assertThat(fromParts.path()).isEqualTo(fromLine.path());
        assertThat(fromParts.query()).isEqualTo(fromLine.query());
        assertThat(fromParts.target()).isEqualTo(fromLine.target());
    }
}
