package org.liso.http2;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.liso.http.Headers;

/**
 * The server side of one HTTP/2 connection as a pure protocol engine (RFC 9113): bytes in, events out to a
 * {@link SessionListener}, frames to send gathered in an output buffer. No sockets, no threads, no clocks: the connection type
 * in the server room feeds it and drains it, and tests drive it byte by byte.
 *
 * <pre>
 *   PREFACE --24 octets of client preface--> SETTINGS --peer's first frame is SETTINGS--> FRAMES
 *   any --connection error: GOAWAY written--> CLOSED
 * </pre>
 *
 * <p>Errors have one boundary: a stream error resets that stream (RST_STREAM written, {@link SessionListener#reset}
 * told) and the connection goes on; a connection error writes GOAWAY and is thrown from {@link #receive}, after which
 * the connection sends what is in the output and closes.
 *
 * <p>The session reads frames, answers the connection's own (SETTINGS, PING, GOAWAY), passes DATA and resets on, and
 * writes what the server sends. Header blocks and the streams they open are its {@link HeaderBlocks}'; which stream
 * ids are open, idle or closed, its {@link StreamTable}'s; the windows, its {@link FlowControl}'s; the frames that
 * serve nothing are counted by its {@link AbuseBudget}.
 */
public final class ServerSession {

    private enum Phase { PREFACE, SETTINGS, FRAMES, CLOSED }

    /** RFC 9113 §3.4: the client's connection preface (the connection start stage looks for it too). */
    public static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final SessionLimits limits;
    private final SessionListener listener;
    private final FrameReader reader;
    private final HpackEncoder encoder;
    private final Settings peer = new Settings();
    private final StreamTable streams = new StreamTable();
    private final FrameOutput out = new FrameOutput();
    private final FlowControl flow;
    private final AbuseBudget budget;
    private final HeaderBlocks heads;
    private Phase phase = Phase.PREFACE;
    private int prefaceMatched;
    private boolean settingsUnacked = true;
    private boolean goAwaySent;

    public ServerSession(SessionLimits limits, SessionListener listener) {
        this.limits = limits;
        this.listener = listener;
        this.reader = new FrameReader(limits.maxFrameSize());
        this.encoder = new HpackEncoder(4096);
        this.flow = new FlowControl(limits, out);
        this.budget = new AbuseBudget(limits.abuseBudget());
        this.heads = new HeaderBlocks(limits, listener, streams, budget, peer);
        writeServerPreface();
    }

    private void writeServerPreface() {
        // §3.4: the server's preface is a SETTINGS frame; push is never used, so it is turned off explicitly.
        long[] s = {Settings.MAX_CONCURRENT_STREAMS, limits.maxConcurrentStreams(),
            Settings.INITIAL_WINDOW_SIZE, limits.streamWindow(), Settings.MAX_FRAME_SIZE, limits.maxFrameSize(),
            Settings.MAX_HEADER_LIST_SIZE, limits.maxHeaderListSize(), Settings.HEADER_TABLE_SIZE,
            limits.headerTableSize(), Settings.ENABLE_PUSH, 0};
        FrameWriter.settings(out.room(FrameType.HEADER_LENGTH + s.length * 3), s);
        if (limits.connectionWindow() > 65_535) {
            FrameWriter.windowUpdate(out.room(13), 0, limits.connectionWindow() - 65_535);
        }
    }

    // ---- input ----

    /**
     * Consumes {@code in} whole, telling the listener what it carried.
     *
     * @throws Http2Exception a connection error; GOAWAY is already in the output
     */
    public void receive(ByteBuffer in) throws Http2Exception {
        if (phase == Phase.CLOSED) {
            in.position(in.limit());
            return;
        }
        try {
            if (phase == Phase.PREFACE && !matchPreface(in)) {
                return;
            }
            Frame f;
            while (phase != Phase.CLOSED && (f = reader.next(in)) != null) {
                try {
                    frame(f);
                } catch (Http2Exception e) {
                    if (e.isConnectionError()) {
                        throw e;
                    }
                    resetByUs(e.streamId(), e.code());
                }
            }
        } catch (Http2Exception e) {
            fail(e.code(), e.getMessage());
            throw e;
        }
    }

    private boolean matchPreface(ByteBuffer in) throws Http2Exception {
        while (prefaceMatched < PREFACE.length && in.hasRemaining()) {
            if (in.get() != PREFACE[prefaceMatched++]) {
                throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, "not the HTTP/2 client preface");
            }
        }
        if (prefaceMatched < PREFACE.length) {
            return false;
        }
        phase = Phase.SETTINGS;
        return true;
    }

    private void frame(Frame f) throws Http2Exception {
        if (phase == Phase.SETTINGS) {
            if (f.type() != FrameType.SETTINGS || f.has(FrameType.FLAG_ACK)) {
                throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, "the client preface must end in SETTINGS");
            }
            phase = Phase.FRAMES;
        }
        heads.mayCome(f);
        switch (f.type()) {
            case FrameType.DATA -> data(f);
            case FrameType.HEADERS -> heads.headers(f);
            case FrameType.PRIORITY -> {
                budget.spend("PRIORITY");
                FramePayloads.priority(f);
            }
            case FrameType.RST_STREAM -> rstStream(f);
            case FrameType.SETTINGS -> settings(f);
            case FrameType.PUSH_PROMISE -> throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR,
                    "a client cannot push"); // §8.4
            case FrameType.PING -> ping(f);
            case FrameType.GOAWAY -> {
                FramePayloads.GoAway g = FramePayloads.goAway(f);
                listener.goAway(g.lastStreamId(), g.code());
            }
            case FrameType.WINDOW_UPDATE -> windowUpdate(f);
            case FrameType.CONTINUATION -> heads.continuation(f);
            default -> {
                // §5.5: frames of unknown types are ignored.
            }
        }
    }

    private void data(Frame f) throws Http2Exception {
        // §6.9.1: the whole payload, padding included, counts against both windows, even for a stream that is gone.
        flow.received(f.length());
        ByteBuffer data = FramePayloads.data(f);
        int id = f.streamId();
        Http2Stream s = streams.get(id);
        if (s == null) {
            flow.dropped(f.length());
            streams.notIdle(id, FrameType.DATA);
            if (streams.recentlyReset(id)) {
                return;
            }
            budget.spend("DATA on a closed stream");
            throw Http2Exception.stream(id, ErrorCode.STREAM_CLOSED, "DATA on closed stream " + id);
        }
        boolean end = f.has(FrameType.FLAG_END_STREAM);
        flow.received(s, f.length());
        s.state = s.state.receiveData(id, end);
        s.countBody(data.remaining(), end);
        int padding = f.length() - data.remaining();
        if (padding > 0) {
            consumed(id, padding); // the handler never sees padding, so it is credited back at once
        }
        if (!data.hasRemaining() && !end) {
            budget.spend("empty DATA");
        }
        listener.data(id, data, end);
        streams.closeIfDone(s);
    }

    private void rstStream(Frame f) throws Http2Exception {
        ErrorCode code = FramePayloads.rstStream(f);
        int id = f.streamId();
        Http2Stream s = streams.named(id, FrameType.RST_STREAM);
        if (s == null) {
            return; // already closed: nothing to do (§5.1)
        }
        s.state = s.state.receiveReset(id);
        streams.remove(id);
        // A stream the peer opens and cancels before its answer costs work and serves nothing (CVE-2023-44487).
        budget.spend("stream reset by the client");
        listener.reset(id, code);
    }

    private void settings(Frame f) throws Http2Exception {
        if (f.has(FrameType.FLAG_ACK)) {
            FramePayloads.settings(f, peer);
            if (settingsUnacked) {
                settingsUnacked = false;
                heads.settingsAcknowledged();
            }
            return;
        }
        budget.spend("SETTINGS");
        long oldWindow = peer.initialWindowSize();
        FramePayloads.settings(f, peer);
        long delta = peer.initialWindowSize() - oldWindow;
        if (delta != 0) {
            flow.initialWindowMoved(delta, streams.all());
        }
        encoder.peerTableSize(peer.headerTableSize());
        FrameWriter.settingsAck(out.room(FrameType.HEADER_LENGTH));
        if (delta > 0) {
            for (Http2Stream s : streams.all()) {
                listener.writable(s.id);
            }
        }
    }

    private void ping(Frame f) throws Http2Exception {
        long data = FramePayloads.ping(f);
        if (f.has(FrameType.FLAG_ACK)) {
            return;
        }
        budget.spend("PING");
        FrameWriter.ping(out.room(17), data, true);
    }

    private void windowUpdate(Frame f) throws Http2Exception {
        int id = f.streamId();
        int increment = FramePayloads.windowUpdate(f);
        if (id == 0) {
            flow.connectionUpdate(increment);
            listener.writable(0);
            return;
        }
        Http2Stream s = streams.named(id, FrameType.WINDOW_UPDATE);
        if (s == null) {
            return;
        }
        flow.streamUpdate(s, increment);
        listener.writable(id);
    }

    // ---- output, driven by the server ----

    /** Response head (or a 1xx interim head, with {@code endStream} false). Field names are sent lower-cased. */
    public void sendHeaders(int streamId, int status, Headers headers, boolean endStream) {
        Http2Stream s = streams.get(streamId);
        if (s == null || phase == Phase.CLOSED) {
            return;
        }
        ByteBuffer block = encoder.responseBlock(status, headers);
        FrameWriter.headers(out.room(FrameWriter.headersLength(block.remaining(), peer.maxFrameSize())), streamId,
                block, endStream, peer.maxFrameSize());
        if (endStream) {
            ended(s);
        }
    }

    /** Octets of DATA the stream may send now: the smaller of its window and the connection's, never negative. */
    public long sendWindow(int streamId) {
        Http2Stream s = streams.get(streamId);
        return s == null ? 0 : flow.sendWindow(s);
    }

    /** The largest DATA payload one frame may carry. */
    public int maxFramePayload() {
        return peer.maxFrameSize();
    }

    /** A DATA frame whose payload is copied into the output; {@code data.remaining()} must fit the send window. */
    public void sendData(int streamId, ByteBuffer data, boolean endStream) throws Http2Exception {
        dataHeader(streamId, data.remaining(), endStream);
        out.room(data.remaining()).put(data);
        afterData(streamId, endStream);
    }

    /**
     * Only the 9-octet header of a DATA frame of {@code length} octets: the caller takes the output, then sends the
     * payload from elsewhere (a file region) before anything else from this session.
     */
    public void sendDataHeader(int streamId, int length, boolean endStream) throws Http2Exception {
        dataHeader(streamId, length, endStream);
        afterData(streamId, endStream);
    }

    private void dataHeader(int streamId, int length, boolean endStream) throws Http2Exception {
        Http2Stream s = streams.get(streamId);
        if (s == null) {
            throw new IllegalStateException("no stream " + streamId);
        }
        if (length > flow.sendWindow(s) || length > peer.maxFrameSize()) {
            throw new IllegalStateException("DATA of " + length + " beyond the window or frame size");
        }
        flow.sent(s, length);
        int flags = endStream ? FrameType.FLAG_END_STREAM : 0;
        FrameWriter.header(out.room(FrameType.HEADER_LENGTH), length, FrameType.DATA, flags, streamId);
    }

    private void afterData(int streamId, boolean endStream) {
        if (endStream) {
            ended(streams.get(streamId));
        }
    }

    private void ended(Http2Stream s) {
        s.state = s.state.sendEndStream();
        budget.earn();
        streams.closeIfDone(s);
    }

    /** The handler consumed {@code octets} of the stream's request body: credit them back to the client. */
    public void consumed(int streamId, int octets) {
        flow.consumed(streams.get(streamId), octets);
    }

    /**
     * {@code octets} of the stream's request body were thrown away unread: only the connection window is credited,
     * so the stream's sender stops at its window (and is held to the body timeout) instead of uploading for ever.
     */
    public void discarded(int streamId, int octets) {
        flow.dropped(octets);
    }

    /** The server gives up on a stream (its handler failed, or the client went quiet). */
    public void resetStream(int streamId, ErrorCode code) {
        if (streams.get(streamId) != null) {
            resetByUs(streamId, code);
        }
    }

    private void resetByUs(int streamId, ErrorCode code) {
        FrameWriter.rstStream(out.room(13), streamId, code);
        if (streams.resetByUs(streamId)) {
            listener.reset(streamId, code);
        }
    }

    /** Graceful shutdown (§6.8): streams up to the last one opened are still answered, none after. */
    public void goAway(ErrorCode code, String debug) {
        if (goAwaySent || phase == Phase.CLOSED) {
            return;
        }
        goAwaySent = true;
        byte[] d = debug.getBytes(StandardCharsets.UTF_8);
        FrameWriter.goAway(out.room(17 + d.length), streams.goAway(), code, d);
    }

    private void fail(ErrorCode code, String message) {
        goAwaySent = false;
        goAway(code, message == null ? "" : message);
        phase = Phase.CLOSED;
    }

    /** Streams open or half closed. */
    public int activeStreams() {
        return streams.size();
    }

    public boolean closed() {
        return phase == Phase.CLOSED;
    }

    /** After a GOAWAY sent, true once no stream it allowed is left: the connection may close. */
    public boolean drained() {
        return goAwaySent && streams.isEmpty();
    }

    public int pendingOutput() {
        return out.pending();
    }

    /** Everything written since the last call, to send in order; the session starts a fresh buffer. */
    public ByteBuffer takeOutput() {
        return out.take();
    }
}
