package org.liso.listen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LinePrinterTest {

    private static final byte[] INPUT = "first line\r\ngrüße ☃\n\nlast without newline".getBytes(StandardCharsets.UTF_8);
    private static final String EXPECTED = "[7 127.0.0.1:5] first line\n[7 127.0.0.1:5] grüße ☃\n[7 127.0.0.1:5] \n"
            + "[7 127.0.0.1:5] last without newline\n";

    @Test
    void sameLinesWhereverTheInputIsSplit() {
        for (int split = 0; split <= INPUT.length; split++) {
            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            LinePrinter p = new LinePrinter(new PrintStream(sink, true, StandardCharsets.UTF_8));
            ConnectionTag tag = new ConnectionTag(7, "127.0.0.1:5");
            p.print(tag, ByteBuffer.wrap(INPUT, 0, split));
            p.print(tag, ByteBuffer.wrap(INPUT, split, INPUT.length - split));
            p.finish(tag);
            assertThat(sink.toString(StandardCharsets.UTF_8)).as("split at %d", split).isEqualTo(EXPECTED);
        }
    }

    @Test
    void overlongLineIsCutAtTheBound() {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        LinePrinter p = new LinePrinter(new PrintStream(sink, true, StandardCharsets.UTF_8));
        ConnectionTag tag = new ConnectionTag(1, "x");
        p.print(tag, ByteBuffer.wrap("a".repeat(LinePrinter.MAX_PENDING + 3).getBytes(StandardCharsets.US_ASCII)));
        p.finish(tag);
        assertThat(sink.toString(StandardCharsets.UTF_8).split("\n")).hasSize(2)
                .allSatisfy(l -> assertThat(l).startsWith("[1 x] a"));
    }

    @Test
    void aCutNeverSplitsAUtf8Character() {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        LinePrinter p = new LinePrinter(new PrintStream(sink, true, StandardCharsets.UTF_8));
        ConnectionTag tag = new ConnectionTag(1, "x");
        p.print(tag, ByteBuffer.wrap(("a".repeat(LinePrinter.MAX_PENDING - 1) + "☃b").getBytes(StandardCharsets.UTF_8)));
        p.finish(tag);
        assertThat(sink.toString(StandardCharsets.UTF_8)).doesNotContain("\uFFFD").contains("[1 x] ☃b");
    }
}
