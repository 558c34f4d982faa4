package org.liso.http2;

import java.nio.ByteBuffer;
import org.liso.http.Headers;

/**
 * The header blocks a client sends on one session (RFC 9113 §4.3, §6.2, §6.10) and the streams they open: HEADERS and
 * its CONTINUATIONs gathered ({@link HeaderBlockAssembler}), decoded whole by the session's one HPACK decoder (its
 * table must stay in step with the client's encoder, RFC 7541 §2.3.2), and then one of: a new stream's request head;
 * an open stream's trailers (§8.1); a head above SETTINGS_MAX_HEADER_LIST_SIZE, answered 431 (§10.5.1); a stream
 * beyond SETTINGS_MAX_CONCURRENT_STREAMS, refused (§5.1.2); a stream after this side's GOAWAY, ignored (§6.8).
 */
final class HeaderBlocks {
    private final SessionLimits limits;
    private final SessionListener listener;
    private final StreamTable streams;
    private final AbuseBudget budget;
    /** The peer's settings: a new stream's send window starts at its SETTINGS_INITIAL_WINDOW_SIZE. */
    private final Settings peer;
    private final HpackDecoder decoder;
    private final HeaderBlockAssembler blockIn;

    HeaderBlocks(SessionLimits limits, SessionListener listener, StreamTable streams, AbuseBudget budget,
            Settings peer) {
        this.limits = limits;
        this.listener = listener;
        this.streams = streams;
        this.budget = budget;
        this.peer = peer;
        // Until our SETTINGS are acknowledged the peer may use the protocol's default table size (§6.5.3).
        this.decoder = new HpackDecoder(Math.max(4096, limits.headerTableSize()), limits.maxHeaderListSize());
        this.blockIn = new HeaderBlockAssembler(limits.maxHeaderBlock());
    }

    /** §6.10: a header block is one unit; nothing may come between its frames. */
    void mayCome(Frame f) throws Http2Exception {
        if (blockIn.open() && (f.type() != FrameType.CONTINUATION || f.streamId() != blockIn.streamId())) {
            throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, FrameType.name(f.type()) + " inside a header block");
        }
    }

    /** The peer acknowledged our SETTINGS: the decoder holds it to our SETTINGS_HEADER_TABLE_SIZE from now. */
    void settingsAcknowledged() {
        decoder.setLimit(limits.headerTableSize());
    }

    void headers(Frame f) throws Http2Exception {
        int id = f.streamId();
        FramePayloads.HeadersPayload h = FramePayloads.headers(f);
        streams.headers(id);
        blockIn.start(id, f.has(FrameType.FLAG_END_STREAM));
        blockIn.add(h.fragment());
        if (f.has(FrameType.FLAG_END_HEADERS)) {
            endOfBlock();
        }
    }

    void continuation(Frame f) throws Http2Exception {
        if (!blockIn.open()) {
            throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, "CONTINUATION without HEADERS");
        }
        ByteBuffer fragment = FramePayloads.continuation(f);
        if (!fragment.hasRemaining() && !f.has(FrameType.FLAG_END_HEADERS)) {
            budget.spend("empty CONTINUATION");
        }
        blockIn.add(fragment);
        if (f.has(FrameType.FLAG_END_HEADERS)) {
            endOfBlock();
        }
    }

    private void endOfBlock() throws Http2Exception {
        int id = blockIn.streamId();
        boolean end = blockIn.endStream();
        RequestFields fields = new RequestFields(id);
        boolean fits = decoder.decode(blockIn.finish(), fields); // always decoded whole: the table must stay in step
        Http2Stream s = streams.get(id);
        if (s != null) {
            s.state = s.state.receiveHeaders(id, end);
            Headers trailers = fields.trailers();
            s.countBody(0, true);
            listener.trailers(id, trailers);
            streams.closeIfDone(s);
            return;
        }
        if (streams.beyondGoAway(id)) {
            return; // §6.8: streams after our GOAWAY are ignored, their blocks decoded above
        }
        if (streams.size() >= limits.maxConcurrentStreams()) {
            budget.spend("refused stream");
            throw Http2Exception.stream(id, ErrorCode.REFUSED_STREAM, "more than " + limits.maxConcurrentStreams()
                    + " concurrent streams"); // §5.1.2
        }
        if (!fits) {
            open(id, end, -1);
            listener.headersTooLarge(id, end);
            return;
        }
        RequestHead head = fields.head();
        s = open(id, end, head.contentLength());
        if (end) {
            s.countBody(0, true);
        }
        listener.request(id, head, end);
    }

    private Http2Stream open(int id, boolean end, long contentLength) throws Http2Exception {
        return streams.open(id, StreamState.IDLE.receiveHeaders(id, end), peer.initialWindowSize(),
                limits.streamWindow(), contentLength);
    }
}
