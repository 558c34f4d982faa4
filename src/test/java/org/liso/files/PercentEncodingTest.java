package org.liso.files;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.liso.http.HttpException;

class PercentEncodingTest {

    @Test
    void encodesAllButUnreservedAsUtf8() {
        assertThat(PercentEncoding.encodeSegment("a-b_c.d~e")).isEqualTo("a-b_c.d~e");
        assertThat(PercentEncoding.encodeSegment("a b")).isEqualTo("a%20b");
        assertThat(PercentEncoding.encodeSegment("<x>&\"'")).isEqualTo("%3Cx%3E%26%22%27");
        assertThat(PercentEncoding.encodeSegment("café")).isEqualTo("caf%C3%A9");
        assertThat(PercentEncoding.encodeSegment("a?b#c%d")).isEqualTo("a%3Fb%23c%25d");
        assertThat(PercentEncoding.encodeSegment("javascript:x")).isEqualTo("javascript%3Ax");
    }

    @Test
    void decodeInvertsEncodeForAnyName() throws HttpException {
        for (String name : new String[] {"plain", "a b", "100%", "ünïcödé ☃", "x?y#z", "semi;colon", "~tilde"}) {
            assertThat(PercentEncoding.decodePath("/" + PercentEncoding.encodeSegment(name))).isEqualTo("/" + name);
        }
    }

    @Test
    void pathWithoutEscapesIsReturnedAsIs() throws HttpException {
        String raw = "/static/app.js";
        assertThat(PercentEncoding.decodePath(raw)).isSameAs(raw);
    }
}
