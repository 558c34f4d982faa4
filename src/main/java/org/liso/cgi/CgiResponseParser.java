package org.liso.cgi;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.liso.http.Headers;
import org.liso.http.HttpException;

/**
 * Reads the head a CGI script writes on stdout, incrementally: bytes may arrive split anywhere. Two forms are
 * accepted: a CGI header block (RFC 3875 §6.2–6.3: Content-Type, Status, Location and other fields, lines ending in
 * LF or CRLF, then an empty line) and a complete HTTP response head whose first line is {@code HTTP/1.x NNN reason}
 * (an NPH-style script, §5; its fields are passed on as they are). Anything else, and a head larger than the limit,
 * is a 502: the script produced no valid response. A passthrough parser checks an NPH head's syntax only: the head
 * then goes to the client as the script wrote it, framing fields included.
 *
 * <pre>
 *   FIRST_LINE --"HTTP/1.x NNN"--> FIELDS (nph) --empty line--> DONE
 *        \------"Name: value"----> FIELDS ------empty line--> DONE
 * </pre>
 */
public final class CgiResponseParser {

    /** Where the parser is in the head. */
    enum State { FIRST_LINE, FIELDS, DONE }

    public static final int DEFAULT_MAX_HEAD = 32 * 1024;

    private final int maxHead;
    private final boolean passthrough;
    private final Headers fields = new Headers();
    private byte[] line = new byte[256];
    private int lineLength;
    private int headBytes;
    private State state = State.FIRST_LINE;
    private boolean nph;
    private int nphStatus;

    public CgiResponseParser(int maxHead) {
        this(maxHead, false);
    }

    /** @param passthrough an NPH head will be forwarded as written, so its fields are not turned into HTTP ones */
    CgiResponseParser(int maxHead, boolean passthrough) {
        this.maxHead = maxHead;
        this.passthrough = passthrough;
    }

    /**
     * Consumes head bytes from {@code in}.
     *
     * @return the head once its empty line has been read ({@code in} is then positioned at the first body byte), or
     * null when more bytes are needed (all of {@code in} was consumed)
     * @throws HttpException 502 when the output is not a valid response head
     */
    public CgiHead parse(ByteBuffer in) throws HttpException {
        if (state == State.DONE) {
            throw new IllegalStateException("head already parsed");
        }
        while (in.hasRemaining()) {
            byte b = in.get();
            if (++headBytes > maxHead) {
                throw invalid("response head larger than " + maxHead + " bytes");
            }
            if (b != '\n') {
                append(b);
                continue;
            }
            int end = lineLength > 0 && line[lineLength - 1] == '\r' ? lineLength - 1 : lineLength;
            lineLength = 0;
            if (end == 0) {
                if (state == State.FIRST_LINE) {
                    throw invalid("empty line where the response head should start");
                }
                state = State.DONE;
                return finish();
            }
            String text = new String(line, 0, end, StandardCharsets.ISO_8859_1);
            if (state == State.FIRST_LINE && text.startsWith("HTTP/")) {
                statusLine(text);
            } else {
                field(text);
            }
            state = State.FIELDS;
        }
        return null;
    }

    /** True once any byte of output has been seen. */
    public boolean started() {
        return headBytes > 0;
    }

    private void append(byte b) {
        if (lineLength == line.length) {
            line = Arrays.copyOf(line, line.length * 2);
        }
        line[lineLength++] = b;
    }

    /** {@code HTTP/1.x SP 3DIGIT [SP reason]} (RFC 9112 §4); the reason phrase is not kept. */
    private void statusLine(String text) throws HttpException {
        boolean ok = text.length() >= 12 && text.startsWith("HTTP/1.") && (text.charAt(7) == '0' || text.charAt(7) == '1')
                && text.charAt(8) == ' ' && (text.length() == 12 || text.charAt(12) == ' ');
        int status = ok ? status(text.substring(9, 12)) : -1;
        if (status < 0) {
            throw invalid("malformed status line");
        }
        nph = true;
        nphStatus = status;
    }

    private void field(String text) throws HttpException {
        int colon = text.indexOf(':');
        if (colon <= 0 || !isToken(text, colon)) {
            throw invalid("malformed header line");
        }
        String name = text.substring(0, colon);
        String value = text.substring(colon + 1).strip();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < ' ' && c != '\t') || c == 0x7f) {
                throw invalid("control character in header " + name);
            }
        }
        fields.add(name, value);
    }

    private CgiHead finish() throws HttpException {
        if (nph && passthrough) {
            return new CgiHead(nphStatus, fields, true);
        }
        Headers out = new Headers();
        int status = nph ? nphStatus : 0;
        String statusField = null;
        for (int i = 0; i < fields.size(); i++) {
            String name = fields.name(i);
            String value = fields.value(i);
            if (name.equalsIgnoreCase("Status")) {
                if (statusField != null) {
                    throw invalid("more than one Status field");
                }
                statusField = value;
            } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                // The server frames the body itself; a script's own framing would reach the client as content.
                throw invalid("script sent Transfer-Encoding");
            } else if (name.equalsIgnoreCase("Content-Length")) {
                contentLength(out, value);
            } else if (!ownedByServer(name)) {
                out.add(name, value);
            }
        }
        if (!nph) {
            status = cgiStatus(statusField, out);
        }
        return new CgiHead(status, out, nph);
    }

    /**
     * §6.3.3: Status sets the code; without it a Location makes a redirect (§6.2.3–6.2.4 — a local redirect to a
     * path is answered as a 302 to that path rather than re-dispatched inside the server); a document response
     * (§6.2.1) must have a Content-Type.
     */
    private int cgiStatus(String statusField, Headers out) throws HttpException {
        if (statusField != null) {
            int status = statusField.length() >= 3 && (statusField.length() == 3 || statusField.charAt(3) == ' ')
                    ? status(statusField.substring(0, 3)) : -1;
            if (status < 0) {
                throw invalid("malformed Status field");
            }
            return status;
        }
        if (out.contains("Location")) {
            return 302;
        }
        if (out.contains("Content-Type")) {
            return 200;
        }
        throw invalid("no Content-Type, Status or Location");
    }

    private void contentLength(Headers out, String value) throws HttpException {
        boolean digits = !value.isEmpty() && value.length() <= 18 && value.chars().allMatch(c -> c >= '0' && c <= '9');
        if (!digits) {
            throw invalid("malformed Content-Length");
        }
        String previous = out.get("Content-Length");
        if (previous != null && Long.parseLong(previous) != Long.parseLong(value)) {
            throw invalid("conflicting Content-Length fields");
        }
        if (previous == null) {
            out.add("Content-Length", Long.toString(Long.parseLong(value)));
        }
    }

    /** The server writes Date, Server and the connection management fields of every response itself. */
    private static boolean ownedByServer(String name) {
        return name.equalsIgnoreCase("Connection") || name.equalsIgnoreCase("Keep-Alive")
                || name.equalsIgnoreCase("Date") || name.equalsIgnoreCase("Server");
    }

    /** A final status code, 200–599, or -1. */
    private static int status(String digits) {
        if (digits.length() != 3 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        int code = Integer.parseInt(digits);
        return code >= 200 && code <= 599 ? code : -1;
    }

    private static boolean isToken(String s, int end) {
        for (int i = 0; i < end; i++) {
            char c = s.charAt(i);
            boolean ok = c > ' ' && c < 0x7f && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static HttpException invalid(String why) {
        return new HttpException(502, "CGI script: " + why);
    }
}
