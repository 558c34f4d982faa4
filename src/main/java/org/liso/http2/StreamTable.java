package org.liso.http2;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The streams of one session by id (RFC 9113 §5.1), and what an id not among them is: idle, when it is above every id
 * the client opened (§5.1.1), else closed — lately reset by this side, or not; and, once this side sent GOAWAY, beyond
 * it or not (§6.8).
 */
final class StreamTable {
    /** Streams this side reset lately: DATA already in flight for them is dropped quietly (§5.4.2, §6.4). */
    private static final int RECENT_RESETS = 64;

    private final Map<Integer, Http2Stream> streams = new HashMap<>();
    private final RecentResets recentlyReset = new RecentResets(RECENT_RESETS);
    private int lastStreamId;
    /** The last stream id the GOAWAY sent allows; streams above it are not served. */
    private int goAwayLastStream = Integer.MAX_VALUE;

    /** The open (or half-closed) stream {@code id}, or null. */
    Http2Stream get(int id) {
        return streams.get(id);
    }

    /** The open stream a frame of {@code type} names, or null when that stream is closed (see {@link #notIdle}). */
    Http2Stream named(int id, int type) throws Http2Exception {
        Http2Stream s = streams.get(id);
        if (s == null) {
            notIdle(id, type);
        }
        return s;
    }

    /** A frame of {@code type} that names a stream never opened is a connection error (§5.1). */
    void notIdle(int id, int type) throws Http2Exception {
        if (id > lastStreamId) {
            throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, FrameType.name(type) + " on idle stream " + id);
        }
    }

    /**
     * HEADERS on {@code id}: trailers of an open stream, or a new stream, which raises the last stream id; client
     * streams are odd and each new one above the last (§5.1.1).
     */
    void headers(int id) throws Http2Exception {
        if ((id & 1) == 0) {
            throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, "client stream " + id + " is even");
        }
        Http2Stream s = streams.get(id);
        if (s == null) {
            if (id <= lastStreamId) {
                throw Http2Exception.connection(ErrorCode.STREAM_CLOSED, "HEADERS on closed stream " + id);
            }
            lastStreamId = id;
        }
    }

    Http2Stream open(int id, StreamState state, long sendWindow, long receiveWindow, long contentLength) {
        Http2Stream s = new Http2Stream(id, state, sendWindow, receiveWindow, contentLength);
        streams.put(id, s);
        return s;
    }

    /** Forgets {@code s} once both sides have ended it. */
    void closeIfDone(Http2Stream s) {
        if (s != null && s.state == StreamState.CLOSED) {
            streams.remove(s.id);
        }
    }

    /** The peer reset the stream: forgotten. */
    void remove(int id) {
        streams.remove(id);
    }

    /**
     * This side resets the stream: forgotten, and remembered as reset for the DATA still on its way.
     *
     * @return whether it was open
     */
    boolean resetByUs(int id) {
        recentlyReset.add(id);
        return streams.remove(id) != null;
    }

    boolean recentlyReset(int id) {
        return recentlyReset.contains(id);
    }

    /** GOAWAY is sent: the streams opened so far are still answered, none after (§6.8). @return the last one */
    int goAway() {
        goAwayLastStream = lastStreamId;
        return lastStreamId;
    }

    boolean beyondGoAway(int id) {
        return id > goAwayLastStream;
    }

    Collection<Http2Stream> all() {
        return streams.values();
    }

    int size() {
        return streams.size();
    }

    boolean isEmpty() {
        return streams.isEmpty();
    }
}
