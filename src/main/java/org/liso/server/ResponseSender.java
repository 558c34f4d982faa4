package org.liso.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.liso.http.ChunkedEncoder;
import org.liso.http.Headers;
import org.liso.http.ResponseHead;
import org.liso.http.Version;
import org.liso.server.spi.Body;
import org.liso.server.spi.Response;
import org.liso.server.spi.StreamBody;

/**
 * Frames one response onto the output queue: the head with the server-owned fields, then the body. A body of known
 * length gets Content-Length; a stream without one is chunked on HTTP/1.1 and close-delimited on HTTP/1.0
 * (RFC 9112 §6.3, §7.1). A stream that declared a Content-Length is held to it: more is cut off, less closes. A
 * passthrough response goes out as its producer wrote it, and the connection closes after it. A body in memory that
 * is sent again and again (a cached small file) gets the head the general path encoded for it from the loop's
 * {@link HeadCache}, as long as the same inputs would encode the same octets.
 */
final class ResponseSender {
    private static final ByteBuffer CRLF = ByteBuffer.wrap("\r\n".getBytes(StandardCharsets.US_ASCII))
            .asReadOnlyBuffer();

    private final OutputQueue out;
    private int status;
    private StreamBody stream;
    private boolean chunked;
    private long declaredRemaining = -1;
    private boolean complete;
    private boolean broken;
    /** What of the body the transport took: the access log's byte count (not what was declared or queued). */
    private final OutputQueue.Sent sent = new OutputQueue.Sent();

    private final ServerFields fields;
    private final boolean connectionAlways;

    /**
     * @param fields           the server-owned fields (Date, Server, HSTS, the operator's extra fields)
     * @param connectionAlways whether Connection is sent on every response (lisod)
     */
    ResponseSender(OutputQueue out, ServerFields fields, boolean connectionAlways) {
        this.out = out;
        this.fields = fields;
        this.connectionAlways = connectionAlways;
    }

    /**
     * Queues the head and, where possible, the whole body.
     *
     * @param closeAfter whether the connection closes after this response (decided by the caller, may be forced
     *                   here for a close-delimited body)
     * @return whether the connection must close after this response
     */
    boolean start(Response r, Version version, boolean head, boolean closeAfter) {
        status = r.status();
        Body body = r.body();
        if (r.passthrough()) {
            return passThrough((StreamBody) body);
        }
        Headers h = r.headers();
        boolean noBody = status == 204 || status == 304 || status < 200;
        Body.Bytes bytes = body instanceof Body.Bytes b ? b : null;
        if (bytes != null) {
            ByteBuffer kept = fields.heads().find(bytes, status, h, form(version, closeAfter), fields.lines());
            if (kept != null) {
                out.add(kept);
                if (!head && !noBody) {
                    out.add(bytes.view(), sent);
                }
                complete = true;
                return closeAfter;
            }
        }
        int handlerFields = h.size();
        String declared = ServerFields.strip(h);
        boolean stripped = h.size() != handlerFields;
        byte[] serverLines = fields.encodedFor(h);
        int serverLinesAt = h.size(); // after the handler's fields, before the framing ones: as they always came
        boolean keepable = bytes != null && !stripped && serverLinesAt == handlerFields;
        if (noBody) {
            body.release(); // RFC 9110 §8.6: no Content-Length on 1xx and 204; on 304 it is optional and left out
        } else if (body instanceof StreamBody s) {
            if (declared != null) {
                declaredRemaining = ServerFields.parseLength(declared);
                if (declaredRemaining >= 0) {
                    h.add("Content-Length", declared.trim());
                }
            }
            if (declaredRemaining < 0 && !head) {
                if (version == Version.HTTP_1_1) {
                    chunked = true;
                    h.add("Transfer-Encoding", "chunked");
                } else {
                    closeAfter = true;
                }
            }
            stream = s;
        } else {
            h.add("Content-Length", Long.toString(body.length()));
        }
        int form = form(version, closeAfter);
        if (form == HeadCache.CLOSE) {
            h.add("Connection", "close");
        } else if (form == HeadCache.KEEP_ALIVE) {
            h.add("Connection", "keep-alive");
        }
        ByteBuffer headBytes = ByteBuffer.allocate(ResponseHead.size(status, h) + serverLines.length);
        ResponseHead.write(status, h, serverLinesAt, serverLines, headBytes);
        headBytes.flip();
        if (keepable) {
            fields.heads().offer(bytes, status, h, handlerFields, form, serverLines, headBytes);
        }
        out.add(headBytes);
        if (head || noBody) {
            body.release();
            stream = null;
            complete = true;
        } else if (bytes != null) {
            out.add(bytes.view(), sent);
            complete = true;
        } else if (body instanceof Body.FileRegion f) {
            out.addFile(f.file(), f.position(), f.length(), sent);
            complete = true;
        } else if (stream == null) {
            complete = true;
        }
        return closeAfter;
    }

    /** Which Connection field the head carries (RFC 9112 §9.3, §9.6; lisod sends it on every response). */
    private int form(Version version, boolean closeAfter) {
        if (closeAfter) {
            return HeadCache.CLOSE;
        }
        return version == Version.HTTP_1_0 || connectionAlways ? HeadCache.KEEP_ALIVE : HeadCache.PLAIN;
    }

    /**
     * A response whose bytes, head included, come from the producer as they are (an NPH script's in lisod): nothing
     * is added, and only the connection's close can end it, since its framing is the producer's own.
     */
    private boolean passThrough(StreamBody s) {
        stream = s;
        return true;
    }

    StreamBody stream() {
        return stream;
    }

    /** Moves stream chunks to the output queue while it is below {@code highWater}. */
    void pump(long highWater) {
        if (stream == null || complete) {
            return;
        }
        ByteBuffer chunk;
        while (out.memoryBytes() < highWater && (chunk = stream.poll()) != null) {
            int n = chunk.remaining();
            if (n == 0) {
                continue;
            }
            if (declaredRemaining >= 0) {
                if (n > declaredRemaining) {
                    chunk.limit(chunk.position() + (int) declaredRemaining);
                    n = (int) declaredRemaining;
                    broken = true;
                }
                declaredRemaining -= n;
            }
            if (chunked) {
                out.add(ChunkedEncoder.header(n));
                out.add(chunk, sent);
                out.add(CRLF.duplicate());
            } else {
                out.add(chunk, sent);
            }
            if (broken) {
                break;
            }
        }
        if (broken || stream.done()) {
            if (broken || stream.failed() || declaredRemaining > 0) {
                // The body cannot be completed as framed: the only honest end is closing the connection.
                broken = true;
                stream.release();
            } else if (chunked) {
                out.add(ChunkedEncoder.last());
            }
            complete = true;
        }
    }

    boolean complete() {
        return complete;
    }

    /** The response could not be finished as framed: the connection must close after what is queued. */
    boolean broken() {
        return broken;
    }

    int status() {
        return status;
    }

    /** Body bytes handed to the transport so far (chunk framing excluded). */
    long bodyBytesSent() {
        return sent.bytes();
    }

    void abort() {
        if (stream != null) {
            stream.release();
        }
    }
}
