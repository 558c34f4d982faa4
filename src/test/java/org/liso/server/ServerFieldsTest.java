package org.liso.server;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.liso.http.Headers;
import org.liso.http.HttpDate;
import org.liso.server.spi.ErrorPageSource;

/**
 * The server-owned fields as HTTP/1.1 heads get them: encoded once per second and shared by every response of that
 * second (a head copies the octets instead of re-encoding Date, Server and the operator's fields), the same octets
 * the fields would give one by one; a handler that set one of the operator's fields keeps its value.
 */
class ServerFieldsTest {
    private static final ServerConfig CONFIG = ServerConfig.DEFAULT.withServerHeader("liso/test")
            .withExtraHeaders(List.<String[]>of(new String[] {"X-Content-Type-Options", "nosniff"}))
            .withHsts(600);

    @Test
    void theLinesOfASecondAreEncodedOnceAndSayWhatTheFieldsSay() {
        ServerFields fields = new ServerFields(true, CONFIG, ErrorPageSource.NONE);
        byte[] first;
        byte[] second;
        String date;
        do { // the two heads must fall in one second of the clock
            date = HttpDate.now();
            first = fields.encodedFor(new Headers());
            second = fields.encodedFor(new Headers());
        } while (!date.equals(HttpDate.now()));
        assertThat(second).as("one encoding for the second's responses").isSameAs(first);
        Headers byField = new Headers();
        assertThat(fields.apply(byField)).isNull();
        assertThat(new String(first, ISO_8859_1)).isEqualTo(lines(byField)).isEqualTo("Date: " + date
                + "\r\nServer: liso/test\r\nStrict-Transport-Security: max-age=600\r\nX-Content-Type-Options: nosniff\r\n");
    }

    @Test
    void aNewSecondGetsANewDate() throws Exception {
        ServerFields fields = new ServerFields(false, CONFIG, ErrorPageSource.NONE);
        String before = HttpDate.now();
        byte[] first = fields.encodedFor(new Headers());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (HttpDate.now().equals(before) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        String now = HttpDate.now();
        assertThat(now).isNotEqualTo(before);
        byte[] next = fields.encodedFor(new Headers());
        assertThat(new String(next, ISO_8859_1)).startsWith("Date: " + now + "\r\n")
                .doesNotContain("Strict-Transport-Security"); // plain connections send no HSTS
        assertThat(new String(first, ISO_8859_1)).startsWith("Date: " + before + "\r\n");
    }

    @Test
    void aHandlersOwnValueOfAnOperatorFieldWins() {
        ServerFields fields = new ServerFields(false, CONFIG, ErrorPageSource.NONE);
        Headers h = new Headers();
        h.add("x-content-type-options", "handler's");
        h.add("Server", "not the handler's to say");
        ServerFields.strip(h);
        assertThat(fields.encodedFor(h)).as("no shared lines: the fields went into the head's own").isEmpty();
        assertThat(h.all("X-Content-Type-Options")).containsExactly("handler's");
        assertThat(h.all("Server")).containsExactly("liso/test");
        assertThat(h.get("Date")).isNotNull();
    }

    private static String lines(Headers h) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < h.size(); i++) {
            b.append(h.name(i)).append(": ").append(h.value(i)).append("\r\n");
        }
        return b.toString();
    }
}
