package org.liso.server.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The body buffer on its own: memory up to the bound, an unlinked file beyond it, every descriptor closed. */
class SpooledBodyTest {

    @TempDir
    Path dir;
    private final AtomicReference<SpooledBody> completed = new AtomicReference<>();

    private SpooledBody spool(int memory, long expected) {
        return new SpooledBody(memory, dir, expected, completed::set);
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    /** Feeds {@code body} in pieces of {@code piece} bytes, as the server would, and ends it. */
    private static void feed(SpooledBody s, byte[] body, int piece) {
        for (int off = 0; off < body.length; off += piece) {
            ByteBuffer chunk = ByteBuffer.wrap(body, off, Math.min(piece, body.length - off));
            assertThat(s.data(chunk)).isTrue();
            assertThat(chunk.hasRemaining()).as("the whole chunk is taken").isFalse();
        }
        s.end();
    }

    private static byte[] contents(SpooledBody s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AtomicInteger progress = new AtomicInteger();
        s.writeTo(out, progress::incrementAndGet);
        assertThat(progress.get()).isEqualTo((int) ((s.length() + SpooledBody.CHUNK - 1) / SpooledBody.CHUNK));
        return out.toByteArray();
    }

    private static long fdsInto(Path dir) throws IOException {
        String prefix = dir.toRealPath() + "/";
        long n = 0;
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    n += Files.readSymbolicLink(fd).toString().startsWith(prefix) ? 1 : 0;
                } catch (IOException gone) {
                    // the listing's own descriptor
                }
            }
        }
        return n;
    }

    @Test
    void aChunkedBodyWithinTheBoundStaysInMemory() throws IOException {
        byte[] body = random(40_000);
        SpooledBody s = spool(64 * 1024, -1);
        feed(s, body, 1000);
        assertThat(completed.get()).isSameAs(s);
        assertThat(s.failure()).isNull();
        assertThat(s.inFile()).isFalse();
        assertThat(s.length()).isEqualTo(body.length);
        assertThat(contents(s)).isEqualTo(body);
        s.release();
    }

    @Test
    void beyondTheBoundTheBodyGoesToAnUnlinkedFileClosedOnRelease() throws IOException {
        byte[] body = random(300_000);
        SpooledBody s = spool(4096, -1);
        feed(s, body, 16 * 1024);
        assertThat(s.inFile()).isTrue();
        try (Stream<Path> names = Files.list(dir)) {
            assertThat(names).as("no name left in the directory").isEmpty();
        }
        assertThat(fdsInto(dir)).isEqualTo(1);
        assertThat(contents(s)).isEqualTo(body);
        assertThat(contents(s)).as("readable again from the start").isEqualTo(body);
        s.release();
        s.release();
        assertThat(fdsInto(dir)).isZero();
        assertThatThrownBy(() -> s.writeTo(new ByteArrayOutputStream(), () -> { })).isInstanceOf(IOException.class);
    }

    @Test
    void aKnownLengthAboveTheBoundGoesStraightToTheFile() throws IOException {
        byte[] body = random(5000);
        SpooledBody s = spool(4096, body.length);
        feed(s, body, 100);
        assertThat(s.inFile()).isTrue();
        assertThat(contents(s)).isEqualTo(body);
        s.release();
        assertThat(fdsInto(dir)).isZero();
    }

    @Test
    void anEmptyBodyAndAZeroBound() throws IOException {
        SpooledBody empty = spool(0, 0);
        empty.end();
        assertThat(completed.get()).isSameAs(empty);
        assertThat(contents(empty)).isEmpty();
        assertThat(empty.inFile()).isFalse();
        SpooledBody tiny = spool(0, -1);
        feed(tiny, new byte[] {1}, 1);
        assertThat(tiny.inFile()).isTrue();
        assertThat(contents(tiny)).containsExactly(1);
        tiny.release();
        assertThat(fdsInto(dir)).isZero();
    }

    @Test
    void releasedWhileFillingItDropsTheRestAndNeverCompletes() throws IOException {
        SpooledBody s = spool(1024, -1);
        s.data(ByteBuffer.wrap(random(5000)));
        assertThat(fdsInto(dir)).isEqualTo(1);
        s.release();
        assertThat(fdsInto(dir)).isZero();
        ByteBuffer late = ByteBuffer.wrap(random(100));
        assertThat(s.data(late)).isTrue();
        assertThat(late.hasRemaining()).isFalse();
        s.end();
        assertThat(completed.get()).isNull();
    }

    @Test
    void aDirectoryThatCannotTakeTheFileIsAFailureReportedAtTheEnd() throws IOException {
        SpooledBody s = new SpooledBody(10, dir.resolve("missing"), -1, completed::set);
        feed(s, random(1000), 100);
        assertThat(completed.get()).isSameAs(s);
        assertThat(s.failure()).isNotNull();
        assertThatThrownBy(() -> s.writeTo(new ByteArrayOutputStream(), () -> { })).isInstanceOf(IOException.class);
        s.release();
    }
    @Test
    void readCopiesFromMemoryAndFromTheFileAtAnyPosition() throws IOException {
        for (int memory : new int[] {1 << 20, 1000}) {
            byte[] body = random(100_000);
            SpooledBody s = spool(memory, body.length);
            feed(s, body, 7_000);
            assertThat(s.inFile()).isEqualTo(memory < body.length);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer window = ByteBuffer.allocate(65_528);
            long position = 0;
            for (int n; (n = s.read(window.clear(), position)) >= 0; position += n) {
                assertThat(n).isPositive();
                out.write(window.array(), 0, n);
            }
            assertThat(out.toByteArray()).isEqualTo(body);
            ByteBuffer tail = ByteBuffer.allocate(10);
            assertThat(s.read(tail, body.length - 4)).isEqualTo(4);
            assertThat(tail.flip().remaining()).isEqualTo(4);
            assertThat(s.read(ByteBuffer.allocate(0), 0)).as("a full buffer").isZero();
            s.release();
            assertThatThrownBy(() -> s.read(ByteBuffer.allocate(10), 0)).isInstanceOf(IOException.class);
        }
    }
}
