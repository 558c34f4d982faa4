package org.liso.http2;

import java.nio.ByteBuffer;
import org.liso.http.Headers;

/** What a {@link ServerSession} tells the server; every callback runs inside {@link ServerSession#receive}. */
public interface SessionListener {
    void request(int streamId, RequestHead head, boolean endStream);

    /** The request's header list is above SETTINGS_MAX_HEADER_LIST_SIZE: answer 431 (RFC 9113 §10.5.1). */
    void headersTooLarge(int streamId, boolean endStream);

    void data(int streamId, ByteBuffer data, boolean endStream);

    void trailers(int streamId, Headers trailers);

    /** The stream ended abnormally (the peer reset it, or it broke a rule); its handler must stop. */
    void reset(int streamId, ErrorCode code);

    /** Send window opened on that stream, or on the connection (0). */
    void writable(int streamId);

    void goAway(int lastStreamId, ErrorCode code);
}
