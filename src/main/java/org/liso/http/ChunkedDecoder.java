package org.liso.http;

import java.nio.ByteBuffer;

/**
 * Incremental decoder of the chunked transfer coding, RFC 9112 §7.1, resumable at any byte boundary. Strict: CRLF
 * only, bare HEXDIG sizes, well-formed chunk extensions (ignored, §7.1.1) bounded to {@value #MAX_SIZE_LINE} bytes,
 * a trailer section bounded to {@value #MAX_TRAILER} bytes and parsed like header fields (§7.1.2).
 *
 * <pre>
 *   SIZE ──CR──> SIZE_LF ──LF, size &gt; 0──> DATA ──size octets──> DATA_CR ──CR──> DATA_LF ──LF──> SIZE
 *                   └──LF, size 0──> TRAILER ──CR──> TRAILER_LF ──LF, field line──> TRAILER
 *                                                        └──LF, empty line──> DONE
 * </pre>
 */
public final class ChunkedDecoder {
    /** Longest chunk-size line (size, extensions) without its CRLF. */
    static final int MAX_SIZE_LINE = 4096;
    /** Largest trailer section, CRLFs included. */
    static final int MAX_TRAILER = 8192;

    private enum State { SIZE, SIZE_LF, DATA, DATA_CR, DATA_LF, TRAILER, TRAILER_LF, DONE }

    private final long maxBody;
    private State state = State.SIZE;
    private byte[] line = new byte[64];
    private int lineLen;
    private int trailerBytes;
    private long chunkLeft;
    private long decoded;
    private Headers trailers = new Headers();
    private HttpException failure;

    public ChunkedDecoder(long maxBody) {
        this.maxBody = maxBody;
    }

    /**
     * Decodes from {@code in} into {@code out} as far as both allow. Returns true once the last chunk and the
     * trailer section have been consumed (bytes after them stay in {@code in}); false when it needs more input or
     * more room in {@code out}. Syntax errors are 400 and lose framing; a body over maxBody is 413.
     */
    public boolean decode(ByteBuffer in, ByteBuffer out) throws HttpException {
        if (failure != null) {
            throw failure;
        }
        try {
            return run(in, out);
        } catch (HttpException e) {
            failure = e;
            throw e;
        }
    }

    private boolean run(ByteBuffer in, ByteBuffer out) throws HttpException {
        while (state != State.DONE) {
            if (!in.hasRemaining()) {
                return false;
            }
            switch (state) {
                case SIZE:
                case TRAILER:
                    scanLine(in);
                    break;
                case SIZE_LF:
                    expect(in.get(), Chars.LF, "bare CR in chunk-size line");
                    sizeLine();
                    break;
                case DATA:
                    if (!out.hasRemaining()) {
                        return false;
                    }
                    copy(in, out);
                    break;
                case DATA_CR:
                    expect(in.get(), Chars.CR, "chunk data not followed by CRLF");
                    state = State.DATA_LF;
                    break;
                case DATA_LF:
                    expect(in.get(), Chars.LF, "chunk data not followed by CRLF");
                    state = State.SIZE;
                    break;
                case TRAILER_LF:
                    expect(in.get(), Chars.LF, "bare CR in trailer section");
                    trailerLine();
                    break;
                default:
                    throw new IllegalStateException(state.name());
            }
        }
        return true;
    }

    public Headers trailers() {
        return trailers;
    }

    /** Body octets produced so far. */
    public long decodedLength() {
        return decoded;
    }

    /** Ready for the next body (and forgets a failure). */
    public void reset() {
        state = State.SIZE;
        lineLen = 0;
        trailerBytes = 0;
        chunkLeft = 0;
        decoded = 0;
        if (trailers.size() > 0) {
            trailers = new Headers();
        }
        failure = null;
    }

    private void scanLine(ByteBuffer in) throws HttpException {
        boolean trailer = state == State.TRAILER;
        int room = trailer ? MAX_TRAILER - trailerBytes : MAX_SIZE_LINE - lineLen;
        int pos = in.position();
        int end = (int) Math.min(in.limit(), (long) pos + room + 1);
        int i = pos;
        while (i < end) {
            byte b = in.get(i);
            if (b == Chars.CR || b == Chars.LF) {
                break;
            }
            i++;
        }
        int k = i - pos;
        if (k > room) {
            throw trailer ? new HttpException(431, "trailer section larger than " + MAX_TRAILER + " bytes", true)
                    : bad("chunk-size line longer than " + MAX_SIZE_LINE + " bytes");
        }
        if (lineLen + k > line.length) {
            line = java.util.Arrays.copyOf(line, Math.max(line.length * 2, lineLen + k));
        }
        in.get(pos, line, lineLen, k);
        lineLen += k;
        if (trailer) {
            trailerBytes += k;
        }
        if (i == in.limit()) {
            in.position(i);
            return;
        }
        if (in.get(i) == Chars.LF) {
            throw bad(trailer ? "bare LF in trailer section" : "bare LF in chunk-size line");
        }
        in.position(i + 1);
        if (trailer) {
            trailerBytes += 2;
            if (trailerBytes > MAX_TRAILER) {
                throw new HttpException(431, "trailer section larger than " + MAX_TRAILER + " bytes", true);
            }
        }
        state = trailer ? State.TRAILER_LF : State.SIZE_LF;
    }

    private void sizeLine() throws HttpException {
        long size = ChunkSizeLine.parse(line, lineLen);
        lineLen = 0;
        if (size == 0) {
            state = State.TRAILER;
            return;
        }
        if (size > maxBody - decoded) {
            throw new HttpException(413, "chunked body larger than " + maxBody + " bytes", true);
        }
        chunkLeft = size;
        state = State.DATA;
    }

    private void copy(ByteBuffer in, ByteBuffer out) {
        int n = (int) Math.min(chunkLeft, Math.min(in.remaining(), out.remaining()));
        int limit = in.limit();
        in.limit(in.position() + n);
        out.put(in);
        in.limit(limit);
        chunkLeft -= n;
        decoded += n;
        if (chunkLeft == 0) {
            state = State.DATA_CR;
        }
    }

    private void trailerLine() throws HttpException {
        if (lineLen == 0) {
            state = State.DONE;
            return;
        }
        FieldLine.parse(line, lineLen, trailers);
        lineLen = 0;
        state = State.TRAILER;
    }

    private static void expect(byte got, byte want, String message) throws HttpException {
        if (got != want) {
            throw bad(message);
        }
    }

    private static HttpException bad(String message) {
        return new HttpException(400, message, true);
    }
}
