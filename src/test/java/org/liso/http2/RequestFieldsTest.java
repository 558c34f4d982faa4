package org.liso.http2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** RFC 9113 §8.2 and §8.3.1: what makes a request's header block well formed. */
class RequestFieldsTest {

    private static RequestFields of(String... fields) {
        RequestFields r = new RequestFields(5);
        for (String f : fields) {
            int colon = f.indexOf('=');
            r.field(f.substring(0, colon), f.substring(colon + 1), false);
        }
        return r;
    }

    private static final String[] GET = {":method=GET", ":scheme=https", ":path=/a?b", ":authority=example.com"};

    private static String[] with(String... more) {
        String[] all = new String[GET.length + more.length];
        System.arraycopy(GET, 0, all, 0, GET.length);
        System.arraycopy(more, 0, all, GET.length, more.length);
        return all;
    }

    private static void malformed(String why, String... fields) {
        assertThatThrownBy(() -> of(fields).head()).as(why).isInstanceOfSatisfying(Http2Exception.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
            assertThat(e.streamId()).isEqualTo(5);
        });
    }

    @Test
    void aPlainGet() throws Http2Exception {
        RequestHead h = of(with("user-agent=t", "cookie=a=1", "cookie=b=2")).head();
        assertThat(h.method()).isEqualTo("GET");
        assertThat(h.scheme()).isEqualTo("https");
        assertThat(h.path()).isEqualTo("/a?b");
        assertThat(h.authority()).isEqualTo("example.com");
        assertThat(h.fields().get("host")).isEqualTo("example.com");
        assertThat(h.fields().get("cookie")).isEqualTo("a=1; b=2");
        assertThat(h.contentLength()).isEqualTo(-1);
    }

    @Test
    void hostStandsInForAMissingAuthority() throws Http2Exception {
        RequestHead h = of(":method=GET", ":scheme=http", ":path=/", "host=h.example").head();
        assertThat(h.authority()).isEqualTo("h.example");
    }

    @Test
    void malformedBlocks() {
        malformed("no method", ":scheme=https", ":path=/", ":authority=a");
        malformed("no path", ":method=GET", ":scheme=https", ":authority=a");
        malformed("empty path", ":method=GET", ":scheme=https", ":path=", ":authority=a");
        malformed("absolute path", ":method=GET", ":scheme=https", ":path=http://a/", ":authority=a");
        malformed("no authority or host", ":method=GET", ":scheme=https", ":path=/");
        malformed("duplicate", with(":path=/b"));
        malformed("pseudo after regular", ":method=GET", "accept=x", ":scheme=https", ":path=/", ":authority=a");
        malformed("response pseudo", with(":status=200"));
        malformed("unknown pseudo", with(":protocol=websocket"));
        malformed("upper case", with("Accept=x"));
        malformed("connection", with("connection=close"));
        malformed("keep-alive", with("keep-alive=5"));
        malformed("transfer-encoding", with("transfer-encoding=chunked"));
        malformed("upgrade", with("upgrade=h2c"));
        malformed("te gzip", with("te=gzip"));
        malformed("CR in value", with("x=a\rb"));
        malformed("leading space", with("x= a"));
        malformed("bad name char", with("x y=1"));
        malformed("two content-lengths", with("content-length=1", "content-length=2"));
        malformed("bad content-length", with("content-length=-1"));
        malformed("host differs", with("host=other.example"));
        malformed("userinfo", ":method=GET", ":scheme=https", ":path=/", ":authority=u@a");
        malformed("CONNECT with path", ":method=CONNECT", ":authority=a:443", ":path=/");
    }

    @Test
    void teTrailersAndRepeatedEqualContentLengthsAreFine() throws Http2Exception {
        RequestHead h = of(with("te=trailers", "content-length=12", "content-length=12")).head();
        assertThat(h.contentLength()).isEqualTo(12);
        assertThat(h.fields().count("content-length")).isEqualTo(1);
        assertThat(of(":method=OPTIONS", ":scheme=https", ":path=*", ":authority=a").head().path()).isEqualTo("*");
        assertThat(of(":method=CONNECT", ":authority=a:443").head().method()).isEqualTo("CONNECT");
    }

    @Test
    void trailersCarryNoPseudoHeaders() throws Http2Exception {
        assertThat(of("x-checksum=abc").trailers().get("x-checksum")).isEqualTo("abc");
        assertThatThrownBy(() -> of(":path=/").trailers()).isInstanceOf(Http2Exception.class);
    }

    @Test
    void aFaultDoesNotStopTheBlockBeingCollected() {
        RequestFields r = of("Bad=1");
        r.field("x", "y", false); // the decoder goes on feeding: nothing may throw mid-block
        assertThatThrownBy(r::head).hasMessageContaining("upper-case");
    }
}
