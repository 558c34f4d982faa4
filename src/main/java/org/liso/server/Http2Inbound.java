package org.liso.server;

import java.nio.ByteBuffer;
import org.liso.http.BodyKind;
import org.liso.http.Headers;
import org.liso.http.HttpException;
import org.liso.http.Request;
import org.liso.http.Version;
import org.liso.http2.ErrorCode;
import org.liso.http2.RequestHead;
import org.liso.http2.ServerSession;
import org.liso.http2.SessionLimits;
import org.liso.http2.SessionListener;

/**
 * What the peer sent on one HTTP/2 connection, as its {@link ServerSession} decoded it, turned into the connection's
 * exchanges: a request head opens a stream and begins its handler (or is answered by the server alone, §8.1.1), DATA
 * and trailers go to the stream's exchange, RST_STREAM ends it, WINDOW_UPDATE schedules what waited for credit, and
 * a GOAWAY or the request limit starts the connection's drain (§6.8). Loop thread only.
 */
final class Http2Inbound implements SessionListener {
    private final Http2Connection connection;
    private final HttpServer server;
    private final ServerConfig config;
    private final Http2Streams streams;
    private final OutputQueue out;
    private final ServerSession session;
    private int served;

    Http2Inbound(Http2Connection connection, HttpServer server, Http2Streams streams, OutputQueue out,
            SessionLimits limits) {
        this.connection = connection;
        this.server = server;
        this.config = server.config();
        this.streams = streams;
        this.out = out;
        this.session = new ServerSession(limits, this);
    }

    /** The session that decodes for this listener. */
    ServerSession session() {
        return session;
    }

    @Override
    public void request(int streamId, RequestHead head, boolean endStream) {
        long now = server.loop().now();
        Request request;
        try {
            BodyKind kind = endStream || head.contentLength() >= 0 ? BodyKind.LENGTH : BodyKind.CHUNKED;
            long length = endStream ? 0 : head.contentLength();
            request = Request.of(head.method(), head.path(), Version.HTTP_2, head.fields(), kind, length);
        } catch (HttpException e) {
            answerAlone(streamId, e.status(), e.getMessage(), endStream);
            return;
        }
        served++;
        Http2Exchange x = new Http2Exchange(connection, config, request, streamId, endStream, now);
        streams.add(x);
        if (served >= config.maxRequestsPerConnection() || server.draining()) {
            // A drain before shutdown: this stream is answered, the client opens its next ones elsewhere (§6.8).
            connection.drain(server.draining() ? "draining" : "request limit");
        }
        x.begin(server.handler());
    }

    @Override
    public void headersTooLarge(int streamId, boolean endStream) {
        answerAlone(streamId, 431, "request header fields too large", endStream);
    }

    /**
     * An answer from the server alone, for a request no handler may see (RFC 9113 §8.1.1, §10.5.1); its access-log
     * line is that of a request head that never parsed.
     */
    private void answerAlone(int streamId, int status, String why, boolean endStream) {
        Http2Exchange x = Http2Exchange.unparsed(connection, config, streamId, endStream, server.loop().now());
        streams.add(x);
        x.handlerReturned();
        x.fail(new HttpException(status, why));
    }

    @Override
    public void data(int streamId, ByteBuffer data, boolean endStream) {
        Http2Exchange x = streams.get(streamId);
        if (x == null) {
            session.consumed(streamId, data.remaining()); // answered already: the connection window gets it back
            return;
        }
        x.data(data, endStream, server.loop().now());
    }

    @Override
    public void trailers(int streamId, Headers trailers) {
        Http2Exchange x = streams.get(streamId);
        if (x != null) {
            x.data(ByteBuffer.allocate(0), true, server.loop().now()); // handlers see no trailers, as on HTTP/1.1
        }
    }

    @Override
    public void reset(int streamId, ErrorCode code) {
        Http2Exchange x = streams.remove(streamId);
        if (x != null) {
            if (x.status() > 0) {
                x.logWhenWritten(out, server);
            }
            x.abort();
            connection.streamGone();
        }
    }

    @Override
    public void writable(int streamId) {
        connection.progressed();
        if (streamId == 0) {
            streams.scheduleSending();
        } else {
            Http2Exchange x = streams.get(streamId);
            if (x != null && x.sending()) {
                streams.schedule(x);
            }
        }
    }

    @Override
    public void goAway(int lastStreamId, ErrorCode code) {
        connection.drain("");
    }
}
