package org.liso.cgi;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.liso.Log;
import org.liso.http.ContentCoding;
import org.liso.http.Headers;
import org.liso.http.HttpException;
import org.liso.loop.EventLoop;
import org.liso.server.spi.Response;
import org.liso.server.spi.StreamBody;

/**
 * A script's stdout becoming the response, on the launcher thread of its {@link CgiRun}: the head parsed (a CGI
 * response or, with NPH passthrough, a complete HTTP one), then the body in bounded chunks towards the client
 * (gzipped when {@code --compress-cgi} and the client agree). What it finds goes back to the run, which owns the
 * exchange on the loop thread.
 */
final class ScriptOutput {
    /** How long a script that closed stdout without a head gets to exit, so its status can be logged. */
    private static final long EXIT_GRACE_MILLIS = 1000;

    private final CgiRun run;
    private final long id;
    private final EventLoop loop;
    private final boolean nphPassthrough;
    /** --compress-cgi is on: a compressible 200 varies on Accept-Encoding. */
    private final boolean gzipOn;
    /** ... and this client takes gzip (RFC 9110 §12.5.3), read on the loop thread at the start. */
    private final boolean clientTakesGzip;

    ScriptOutput(CgiRun run, long id, EventLoop loop, boolean nphPassthrough, boolean gzipOn,
            boolean clientTakesGzip) {
        this.run = run;
        this.id = id;
        this.loop = loop;
        this.nphPassthrough = nphPassthrough;
        this.gzipOn = gzipOn;
        this.clientTakesGzip = clientTakesGzip;
    }

    /** Reads the script's stdout to its end (or until nobody wants it), on the launcher thread. */
    void pump(Process p) {
        CgiResponseParser parser = new CgiResponseParser(CgiResponseParser.DEFAULT_MAX_HEAD, nphPassthrough);
        // The head as written, kept while it is parsed in case it goes out unmodified (bounded by the parser).
        ByteArrayOutputStream rawHead = nphPassthrough ? new ByteArrayOutputStream() : null;
        byte[] buf = new byte[CgiRun.CHUNK];
        StreamBody out = null;
        GzipChunks gzip = null;
        try {
            InputStream in = p.getInputStream();
            for (int n; (n = in.read(buf)) >= 0; ) {
                run.progress();
                ByteBuffer bytes = ByteBuffer.wrap(buf, 0, n);
                if (out == null) {
                    CgiHead head = parser.parse(bytes);
                    if (rawHead != null) {
                        rawHead.write(buf, 0, bytes.position());
                    }
                    if (head == null) {
                        continue;
                    }
                    out = new StreamBody(loop, CgiRun.MAX_CHUNKS);
                    StreamBody handed = out;
                    Response response;
                    if (head.nph() && rawHead != null) {
                        response = Response.passthrough(head.status(), handed);
                        handed.offer(ByteBuffer.wrap(rawHead.toByteArray())); // a fresh queue: neither waits nor fails
                    } else {
                        gzip = gzipFor(head);
                        response = new Response(head.status(), head.headers(), handed);
                    }
                    run.headParsed(response, handed);
                }
                if (bytes.hasRemaining() && !out.offer(gzip == null ? copy(bytes) : gzip.chunk(bytes))) {
                    // The consumer is gone (client closed, HEAD request, timeout): nobody wants the rest.
                    run.kill();
                    return;
                }
                run.progress();
            }
            if (out == null) {
                noHead(parser, p);
            } else {
                if (gzip != null && !out.offer(gzip.finish())) {
                    run.kill();
                    return;
                }
                run.outputComplete();
                out.finish();
            }
        } catch (HttpException invalid) {
            Log.warn(CgiRun.LOG, "invalid script output", "request", id, "error", invalid.getMessage());
            run.countFailure();
            run.kill();
            run.failBeforeHead(invalid);
        } catch (IOException e) {
            if (!run.killed()) {
                Log.warn(CgiRun.LOG, "reading script output failed", "request", id, "error", e.toString());
                run.countFailure();
            }
            fail(out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(out);
        } finally {
            if (gzip != null) {
                gzip.release();
            }
        }
    }

    /**
     * With --compress-cgi, a 200 of a compressible type that the script did not encode itself varies on
     * Accept-Encoding (RFC 9110 §12.5.5), and is gzipped for a client that takes it: its length is then unknown
     * ahead, so the script's Content-Length goes and the server frames the body. Null: sent as written.
     */
    private GzipChunks gzipFor(CgiHead head) {
        Headers h = head.headers();
        String type = h.get("Content-Type");
        if (!gzipOn || head.status() != 200 || type == null || !ContentCoding.compressible(type)
                || h.contains("Content-Encoding")) {
            return null;
        }
        h.add("Vary", "Accept-Encoding");
        if (!clientTakesGzip) {
            return null;
        }
        h.remove("Content-Length");
        h.add("Content-Encoding", "gzip");
        return new GzipChunks();
    }

    private void fail(StreamBody out) {
        run.kill();
        if (out == null) {
            run.failBeforeHead(new HttpException(502, "CGI script output broke off"));
        } else {
            out.fail();
        }
    }

    /** Stdout ended before a complete head: §6 requires one, so this is a 502, with the reason logged. */
    private void noHead(CgiResponseParser parser, Process p) throws InterruptedException {
        String why;
        if (p.waitFor(EXIT_GRACE_MILLIS, TimeUnit.MILLISECONDS) && p.exitValue() != 0) {
            why = "script exited with status " + p.exitValue() + " before a response head";
        } else {
            why = parser.started() ? "script output ended inside its response head" : "script wrote no output";
        }
        if (!run.killed()) {
            Log.warn(CgiRun.LOG, why, "request", id);
            run.countFailure();
        }
        run.kill();
        run.failBeforeHead(new HttpException(502, why));
    }

    private static ByteBuffer copy(ByteBuffer bytes) {
        ByteBuffer c = ByteBuffer.allocate(bytes.remaining());
        c.put(bytes).flip();
        return c;
    }
}
