package org.liso.fastcgi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The record codec (specification §3.3, §3.4, §5.5) on whole and cut input: the same transcript wherever the bytes
 * are split, protocol errors as {@link FastCgiException}, and nothing consumed past FCGI_END_REQUEST.
 */
class ResponseDecoderTest {

    /** A record as an application writes it, with {@code padding} bytes after the content. */
    static byte[] record(int version, int type, int id, byte[] content, int padding) {
        ByteBuffer b = ByteBuffer.allocate(8 + content.length + padding);
        b.put((byte) version).put((byte) type).putShort((short) id).putShort((short) content.length)
                .put((byte) padding).put((byte) 0).put(content);
        return b.array();
    }

    static byte[] end(int id, long appStatus, int protocolStatus) {
        return record(1, Records.END_REQUEST, id, ByteBuffer.allocate(8).putInt((int) appStatus)
                .put((byte) protocolStatus).array(), 0);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * What the decoder makes of {@code input} fed in pieces ending at {@code cuts}: "out=...|err=...|end=a,p|left=n",
     * or "error: ..." for a protocol error.
     */
    static String transcript(byte[] input, int... cuts) {
        StringBuilder stdout = new StringBuilder();
        StringBuilder stderr = new StringBuilder();
        StringBuilder end = new StringBuilder();
        ResponseDecoder d = new ResponseDecoder(1, new ResponseDecoder.Listener() {
            @Override
            public void stdout(ByteBuffer part) {
                while (part.hasRemaining()) {
                    stdout.append((char) (part.get() & 0xff));
                }
            }

            @Override
            public void stderr(ByteBuffer part) {
                while (part.hasRemaining()) {
                    stderr.append((char) (part.get() & 0xff));
                }
            }

            @Override
            public void end(long appStatus, int protocolStatus) {
                end.append(appStatus).append(',').append(protocolStatus);
            }
        });
        int from = 0;
        int left = 0;
        try {
            for (int i = 0; i <= cuts.length; i++) {
                int to = i < cuts.length ? cuts[i] : input.length;
                ByteBuffer piece = ByteBuffer.wrap(input, from, to - from);
                if (d.feed(piece)) {
                    left += piece.remaining();
                }
                from = to;
            }
        } catch (FastCgiException e) {
            return "error: " + e.getMessage();
        }
        return "out=" + stdout + "|err=" + stderr + "|end=" + end + "|left=" + left;
    }

    private static final byte[] RESPONSE = concat(
            record(1, Records.GET_VALUES_RESULT, 0, text("\u000f\u0001FCGI_MPXS_CONNS0"), 3),
            record(1, Records.STDOUT, 1, text("Content-Type: text/plain\r\n\r\nhel"), 5),
            record(1, Records.STDERR, 1, text("warned"), 2),
            record(1, Records.STDOUT, 1, text("lo"), 0),
            record(1, Records.STDOUT, 1, new byte[0], 0),
            record(1, Records.STDERR, 1, new byte[0], 7),
            end(1, 258, Records.REQUEST_COMPLETE));

    @Test
    void aWholeResponseDecodes() {
        assertThat(transcript(RESPONSE)).isEqualTo(
                "out=Content-Type: text/plain\r\n\r\nhello|err=warned|end=258,0|left=0");
    }

    @Test
    void everySplitAndEveryByteAloneGiveTheSameTranscript() {
        String whole = transcript(RESPONSE);
        for (int i = 0; i <= RESPONSE.length; i++) {
            assertThat(transcript(RESPONSE, i)).as("split at " + i).isEqualTo(whole);
        }
        int[] every = new int[RESPONSE.length - 1];
        for (int i = 0; i < every.length; i++) {
            every[i] = i + 1;
        }
        assertThat(transcript(RESPONSE, every)).isEqualTo(whole);
    }

    @Test
    void bytesAfterEndRequestAreLeftInTheInput() {
        byte[] more = concat(RESPONSE, record(1, Records.STDOUT, 1, text("next"), 0));
        assertThat(transcript(more)).endsWith("|left=12");
        assertThat(transcript(more, RESPONSE.length - 3)).endsWith("|left=12");
    }

    @Test
    void protocolErrorsAreFastCgiExceptions() {
        assertThat(transcript(record(2, Records.STDOUT, 1, text("x"), 0))).isEqualTo("error: record version 2, not 1");
        assertThat(transcript(record(1, Records.STDOUT, 2, text("x"), 0)))
                .isEqualTo("error: record for request 2, expected 1");
        assertThat(transcript(record(1, Records.BEGIN_REQUEST, 1, new byte[8], 0)))
                .isEqualTo("error: record type 1 from the application");
        assertThat(transcript(record(1, Records.END_REQUEST, 1, new byte[5], 0)))
                .isEqualTo("error: FCGI_END_REQUEST body of 5 bytes, not 8");
        assertThat(transcript(record(1, Records.END_REQUEST, 1, new byte[9], 0)))
                .isEqualTo("error: FCGI_END_REQUEST body longer than 8 bytes");
    }

    @Test
    void theDecoderIsReusedForTheNextRequest() throws Exception {
        StringBuilder seen = new StringBuilder();
        ResponseDecoder d = new ResponseDecoder(1, new ResponseDecoder.Listener() {
            @Override
            public void stdout(ByteBuffer part) {
                seen.append(StandardCharsets.ISO_8859_1.decode(part));
            }

            @Override
            public void stderr(ByteBuffer part) {
            }

            @Override
            public void end(long appStatus, int protocolStatus) {
                seen.append('|');
            }
        });
        byte[] one = concat(record(1, Records.STDOUT, 1, text("a"), 0), end(1, 0, 0));
        // Cut inside the first response's END_REQUEST; the second response needs a reset first.
        assertThat(d.feed(ByteBuffer.wrap(one, 0, one.length - 2))).isFalse();
        assertThat(d.feed(ByteBuffer.wrap(one, one.length - 2, 2))).isTrue();
        d.reset(1);
        assertThat(d.feed(ByteBuffer.wrap(concat(record(1, Records.STDOUT, 1, text("b"), 1), end(1, 0, 0))))).isTrue();
        assertThat(seen).hasToString("a|b|");
    }

    @Test
    void requestRecordsAreWellFormed() {
        ByteBuffer begin = ByteBuffer.allocate(16);
        Records.beginRequest(begin, 1, true);
        assertThat(begin.array()).containsExactly(1, 1, 0, 1, 0, 8, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0);
        ByteBuffer abort = ByteBuffer.allocate(8);
        Records.abortRequest(abort, 1);
        assertThat(abort.array()).containsExactly(1, 2, 0, 1, 0, 0, 0, 0);
        // A stream longer than one record: full records of STREAM_CONTENT, a padded last one, then the empty one.
        byte[] content = new byte[Records.STREAM_CONTENT + 5];
        ByteBuffer s = Records.stream(Records.STDIN, 1, content);
        assertThat(s.remaining()).isEqualTo(8 + Records.STREAM_CONTENT + 8 + 5 + 3 + 8);
        assertThat(s.get(4) & 0xff).isEqualTo(0xff);
        assertThat(s.get(5) & 0xff).isEqualTo(0xf8);
        int second = 8 + Records.STREAM_CONTENT;
        assertThat(s.get(second + 5)).isEqualTo((byte) 5);
        assertThat(s.get(second + 6)).isEqualTo((byte) 3);
        assertThat(s.get(s.limit() - 3)).isZero(); // the empty record's content length
    }

    @Test
    void nameValuePairsUseFourByteLengthsFrom128() {
        Map<String, String> pairs = new LinkedHashMap<>();
        pairs.put("SHORT", "v");
        pairs.put("LONG", "x".repeat(128));
        pairs.put("N".repeat(200), "");
        pairs.put("PATH_INFO", "/été");
        byte[] encoded = Records.nameValuePairs(pairs);
        assertThat(decodePairs(encoded)).isEqualTo(pairs);
        assertThat(encoded[0]).isEqualTo((byte) 5);
        assertThat(encoded[1]).isEqualTo((byte) 1);
        int longAt = 2 + 5 + 1;
        assertThat(encoded[longAt]).isEqualTo((byte) 4);
        assertThat(encoded[longAt + 1] & 0xff).isEqualTo(0x80);
        assertThat(ByteBuffer.wrap(encoded, longAt + 1, 4).getInt() & 0x7fffffff).isEqualTo(128);
    }

    /** The application's side of §3.4, for the round trip. */
    static Map<String, String> decodePairs(byte[] b) {
        Map<String, String> out = new LinkedHashMap<>();
        ByteBuffer in = ByteBuffer.wrap(b);
        while (in.hasRemaining()) {
            int n = length(in);
            int v = length(in);
            byte[] name = new byte[n];
            byte[] value = new byte[v];
            in.get(name).get(value);
            out.put(new String(name, StandardCharsets.UTF_8), new String(value, StandardCharsets.UTF_8));
        }
        return out;
    }

    private static int length(ByteBuffer in) {
        int first = in.get(in.position()) & 0xff;
        return first < 128 ? in.get() & 0xff : in.getInt() & 0x7fffffff;
    }
}
