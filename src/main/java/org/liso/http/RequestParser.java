package org.liso.http;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Incremental parser of one request head (RFC 9112 §2–§6), resumable at any byte boundary. Each line is copied into
 * a reusable buffer and checked when its CRLF arrives; the limits are checked as bytes arrive, so a 414 or 431 is
 * raised as soon as the limit is passed, without waiting for the line's end. Strings are made only for the method,
 * target, field names and values (common ones are shared constants).
 *
 * <pre>
 *   LEADING ──CR──> LEADING_CR ──LF──> LEADING          (empty lines before the request line, §2.2)
 *      │ any other octet
 *      v
 *   REQUEST_LINE ──CR──> REQUEST_LINE_CR ──LF──> FIELD ──CR──> FIELD_CR ──LF, line not empty──> FIELD
 *                                                                   └──LF, empty line──> head complete, LEADING
 *   a bare LF, or a CR not followed by LF, anywhere: 400 (§2.2, strict)
 * </pre>
 *
 * After an exception the parser is failed: every further {@link #parse} throws the same exception until
 * {@link #reset()}.
 */
public final class RequestParser {
    private enum State { LEADING, LEADING_CR, REQUEST_LINE, REQUEST_LINE_CR, FIELD, FIELD_CR }

    private final RequestLimits limits;
    private State state = State.LEADING;
    private byte[] line = new byte[256];
    private int lineLen;
    /** Octets of the head so far, from the request line's first octet, CRLFs included. */
    private int headBytes;
    private int leadingBytes;
    private int fields;
    private RequestLine requestLine;
    private Headers headers = new Headers();
    private HttpException failure;

    public RequestParser(RequestLimits limits) {
        this.limits = limits;
    }

    /**
     * Consumes bytes of one request head from {@code in}, advancing its position. Returns the request once its head
     * is complete, leaving the bytes after the head in {@code in}; returns null when it needs more bytes.
     */
    public Request parse(ByteBuffer in) throws HttpException {
        if (failure != null) {
            throw failure;
        }
        try {
            while (in.hasRemaining()) {
                switch (state) {
                    case LEADING:
                        leading(in);
                        break;
                    case LEADING_CR:
                        if (in.get() != Chars.LF) {
                            throw bad("bare CR before the request line");
                        }
                        state = State.LEADING;
                        break;
                    case REQUEST_LINE:
                    case FIELD:
                        scanLine(in);
                        break;
                    default:
                        Request done = lineFeed(in.get());
                        if (done != null) {
                            return done;
                        }
                }
            }
            return null;
        } catch (HttpException e) {
            failure = e;
            throw e;
        }
    }

    /** Forgets any partial head (and a failure), ready for a new request. */
    public void reset() {
        state = State.LEADING;
        lineLen = 0;
        headBytes = 0;
        leadingBytes = 0;
        fields = 0;
        requestLine = null;
        if (headers.size() > 0) {
            headers = new Headers();
        }
        failure = null;
    }

    /** Whether bytes of a request line have been consumed (empty lines before it do not count): 408 vs. silence. */
    public boolean inProgress() {
        return state != State.LEADING && state != State.LEADING_CR;
    }

    private void leading(ByteBuffer in) throws HttpException {
        byte b = in.get(in.position());
        if (b == Chars.LF) {
            throw bad("bare LF before the request line");
        }
        if (b != Chars.CR) {
            state = State.REQUEST_LINE;
            return;
        }
        // §2.2 asks to ignore at least one empty line; bounding them keeps a CRLF flood from living forever.
        if (++leadingBytes > limits.maxHeadBytes()) {
            throw bad("too many empty lines before the request line");
        }
        in.get();
        state = State.LEADING_CR;
    }

    /** Copies line octets up to the next CR or LF, checking the limits octet by octet in effect. */
    private void scanLine(ByteBuffer in) throws HttpException {
        boolean requestLineState = state == State.REQUEST_LINE;
        int toLine = requestLineState ? limits.maxRequestLine() - lineLen : Integer.MAX_VALUE;
        int toHead = limits.maxHeadBytes() - headBytes;
        int pos = in.position();
        int lim = in.limit();
        int end = (int) Math.min(lim, (long) pos + Math.min(toLine, toHead) + 1);
        int i = indexOfLineEnd(in, pos, end);
        int k = i - pos;
        if (requestLineState && lineLen <= RequestLine.MAX_METHOD && lineLen + k > RequestLine.MAX_METHOD
                && methodTooLong(in, pos)) {
            // RFC 9112 §3: longer than any method we implement is 501, before the line can grow into a 414.
            throw new HttpException(501, "method longer than " + RequestLine.MAX_METHOD + " characters", true);
        }
        if (k > toLine) {
            throw new HttpException(414, "request line longer than " + limits.maxRequestLine() + " bytes", true);
        }
        if (k > toHead) {
            throw tooLarge();
        }
        append(in, pos, k);
        if (i == lim) {
            in.position(lim);
            return;
        }
        if (++headBytes > limits.maxHeadBytes()) {
            throw tooLarge();
        }
        if (in.get(i) == Chars.LF) {
            throw bad("bare LF in request head");
        }
        in.position(i + 1);
        state = requestLineState ? State.REQUEST_LINE_CR : State.FIELD_CR;
    }

    /** The line's first MAX_METHOD + 1 octets (those kept plus those at {@code pos}) are all tchar: no SP yet. */
    private boolean methodTooLong(ByteBuffer in, int pos) {
        for (int j = 0; j <= RequestLine.MAX_METHOD; j++) {
            byte b = j < lineLen ? line[j] : in.get(pos + j - lineLen);
            if (!Chars.isTchar(b)) {
                return false;
            }
        }
        return true;
    }

    private static int indexOfLineEnd(ByteBuffer in, int from, int to) {
        if (in.hasArray()) {
            byte[] a = in.array();
            int off = in.arrayOffset();
            for (int i = from; i < to; i++) {
                byte b = a[off + i];
                if (b == Chars.CR || b == Chars.LF) {
                    return i;
                }
            }
            return to;
        }
        for (int i = from; i < to; i++) {
            byte b = in.get(i);
            if (b == Chars.CR || b == Chars.LF) {
                return i;
            }
        }
        return to;
    }

    private void append(ByteBuffer in, int pos, int k) {
        if (lineLen + k > line.length) {
            line = Arrays.copyOf(line, Math.max(line.length * 2, lineLen + k));
        }
        in.get(pos, line, lineLen, k);
        lineLen += k;
        headBytes += k;
    }

    /** The octet after a CR: ends a line when it is LF. */
    private Request lineFeed(byte b) throws HttpException {
        if (++headBytes > limits.maxHeadBytes()) {
            throw tooLarge();
        }
        if (b != Chars.LF) {
            throw bad("bare CR in request head");
        }
        if (state == State.REQUEST_LINE_CR) {
            requestLine = RequestLine.parse(line, lineLen);
            lineLen = 0;
            state = State.FIELD;
            return null;
        }
        if (lineLen > 0) {
            if (++fields > limits.maxHeaders()) {
                throw new HttpException(431, "more than " + limits.maxHeaders() + " header fields", true);
            }
            FieldLine.parse(line, lineLen, headers);
            lineLen = 0;
            state = State.FIELD;
            return null;
        }
        return complete();
    }

    private Request complete() throws HttpException {
        Request r = new Request(requestLine, headers, host(), Framing.of(headers, requestLine.version));
        headers = new Headers();
        requestLine = null;
        state = State.LEADING;
        headBytes = 0;
        leadingBytes = 0;
        fields = 0;
        return r;
    }

    /** RFC 9112 §3.2: at most one Host, with a valid value; HTTP/1.1 must send one (when the limits require it). */
    private String host() throws HttpException {
        String host = null;
        for (int i = 0; i < headers.size(); i++) {
            if (headers.name(i).equalsIgnoreCase("Host")) {
                if (host != null) {
                    throw bad("more than one Host field");
                }
                host = headers.value(i);
            }
        }
        if (host == null) {
            if (limits.requireHost() && requestLine.version == Version.HTTP_1_1) {
                throw bad("HTTP/1.1 request without Host");
            }
            return null;
        }
        if (!Authority.valid(host, 0, host.length(), true, false)) {
            throw bad("invalid Host");
        }
        return host;
    }

    private HttpException tooLarge() {
        return new HttpException(431, "request head larger than " + limits.maxHeadBytes() + " bytes", true);
    }

    private static HttpException bad(String message) {
        return new HttpException(400, message, true);
    }
}
