package org.liso.cgi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class GzipChunksTest {

    private static byte[] gunzip(byte[] gz) throws Exception {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    private static void put(ByteArrayOutputStream to, ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.get(a);
        to.write(a, 0, a.length);
    }

    @Test
    void chunksMakeOneGzipMemberThatDecodesToTheInput() throws Exception {
        Random r = new Random(5);
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        ByteArrayOutputStream packed = new ByteArrayOutputStream();
        GzipChunks gz = new GzipChunks();
        for (int i = 0; i < 50; i++) {
            byte[] chunk = new byte[r.nextInt(CgiRun.CHUNK) + 1];
            // Half text-like, half random (incompressible, so a chunk's output exceeds the buffer once in a while).
            for (int j = 0; j < chunk.length; j++) {
                chunk[j] = i % 2 == 0 ? (byte) ('a' + r.nextInt(4)) : (byte) r.nextInt();
            }
            plain.write(chunk);
            ByteBuffer out = gz.chunk(ByteBuffer.wrap(chunk));
            assertThat(out.remaining()).as("flushed: every chunk gives bytes at once").isPositive();
            put(packed, out);
        }
        ByteBuffer end = gz.finish();
        assertThat(end.remaining()).as("every chunk was flushed: the end is the last block and the trailer")
                .isLessThanOrEqualTo(GzipChunks.MAX_END);
        put(packed, end);
        gz.release();
        assertThat(gunzip(packed.toByteArray())).isEqualTo(plain.toByteArray());
    }

    @Test
    void noChunkAtAllIsStillAValidEmptyMember() throws Exception {
        GzipChunks gz = new GzipChunks();
        ByteArrayOutputStream packed = new ByteArrayOutputStream();
        ByteBuffer end = gz.finish();
        assertThat(end.remaining()).as("header, an empty last block, the trailer")
                .isLessThanOrEqualTo(GzipChunks.MAX_END);
        put(packed, end);
        gz.release();
        assertThat(gunzip(packed.toByteArray())).isEmpty();
    }
}
