package org.liso.http2;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
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
 * <p>Errors have one boundary: a stream error resets that stream (RST_STREAM written, {@link Listener#reset} told)
 * and the connection goes on; a connection error writes GOAWAY and is thrown from {@link #receive}, after which the
 * connection sends what is in the output and closes.
 */
public final class ServerSession {

    private enum Phase { PREFACE, SETTINGS, FRAMES, CLOSED }

    /** RFC 9113 §3.4: the client's connection preface (the connection start stage looks for it too). */
    public static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    /** Streams this side reset lately: DATA already in flight for them is dropped quietly (§5.4.2, §6.4). */
    private static final int RECENT_RESETS = 64;

    private final SessionLimits limits;
    private final SessionListener listener;
    private final FrameReader reader;
    private final HpackDecoder decoder;
    private final HpackEncoder encoder;
    private final Settings peer = new Settings();
    private final Map<Integer, Http2Stream> streams = new HashMap<>();
    private final RecentResets recentlyReset = new RecentResets(RECENT_RESETS);
    private final FlowWindow connectionSend = new FlowWindow(0, 65_535);
    private final ConnectionCredit connectionReceive;
    private final HeaderBlockAssembler blockIn;
    private final FrameOutput out = new FrameOutput();
    private Phase phase = Phase.PREFACE;
    private int prefaceMatched;
    private int lastStreamId;
    private boolean settingsUnacked = true;
    private boolean goAwaySent;
    private int goAwayLastStream = Integer.MAX_VALUE;
    private long budget;

    public ServerSession(SessionLimits limits, SessionListener listener) {
        this.limits = limits;
        this.listener = listener;
        this.reader = new FrameReader(limits.maxFrameSize());
        // Until our SETTINGS are acknowledged the peer may use the protocol's default table size (§6.5.3).
        this.decoder = new HpackDecoder(Math.max(4096, limits.headerTableSize()), limits.maxHeaderListSize());
        this.encoder = new HpackEncoder(4096);
        this.connectionReceive = new ConnectionCredit(limits.connectionWindow());
        this.blockIn = new HeaderBlockAssembler(limits.maxHeaderBlock());
        this.budget = limits.abuseBudget();
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
        if (blockIn.open() && (f.type() != FrameType.CONTINUATION || f.streamId() != blockIn.streamId())) {
            // §6.10: a header block is one unit; nothing may come between its frames.
            throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, FrameType.name(f.type()) + " inside a header block");
        }
        switch (f.type()) {
            case FrameType.DATA -> data(f);
            case FrameType.HEADERS -> headers(f);
            case FrameType.PRIORITY -> {
                spend("PRIORITY");
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
            case FrameType.CONTINUATION -> continuation(f);
            default -> {
                // §5.5: frames of unknown types are ignored.
            }
        }
    }

    private void data(Frame f) throws Http2Exception {
        // §6.9.1: the whole payload, padding included, counts against both windows, even for a stream that is gone.
        connectionReceive.consume(f.length());
        ByteBuffer data = FramePayloads.data(f);
        int id = f.streamId();
        Http2Stream s = streams.get(id);
        if (s == null) {
            connectionReceive.credit(f.length(), out);
            if (id > lastStreamId) {
                throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, "DATA on idle stream " + id);
            }
            if (recentlyReset.contains(id)) {
                return;
            }
            spend("DATA on a closed stream");
            throw Http2Exception.stream(id, ErrorCode.STREAM_CLOSED, "DATA on closed stream " + id);
        }
        boolean end = f.has(FrameType.FLAG_END_STREAM);
        s.receiveWindow.consume(f.length());
        s.state = s.state.receiveData(id, end);
        s.countBody(data.remaining(), end);
        int padding = f.length() - data.remaining();
        if (padding > 0) {
            consumed(id, padding); // the handler never sees padding, so it is credited back at once
        }
        if (!data.hasRemaining() && !end) {
            spend("empty DATA");
        }
        listener.data(id, data, end);
        closeIfDone(s);
    }

    private void headers(Frame f) throws Http2Exception {
        int id = f.streamId();
        FramePayloads.HeadersPayload h = FramePayloads.headers(f);
        if ((id & 1) == 0) {
            throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, "client stream " + id + " is even"); // §5.1.1
        }
        if (!streams.containsKey(id)) {
            if (id <= lastStreamId) {
                throw Http2Exception.connection(ErrorCode.STREAM_CLOSED, "HEADERS on closed stream " + id);
            }
            lastStreamId = id;
        }
        blockIn.start(id, f.has(FrameType.FLAG_END_STREAM));
        blockIn.add(h.fragment());
        if (f.has(FrameType.FLAG_END_HEADERS)) {
            endOfBlock();
        }
    }

    private void continuation(Frame f) throws Http2Exception {
        if (!blockIn.open()) {
            throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, "CONTINUATION without HEADERS");
        }
        ByteBuffer fragment = FramePayloads.continuation(f);
        if (!fragment.hasRemaining() && !f.has(FrameType.FLAG_END_HEADERS)) {
            spend("empty CONTINUATION");
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
            closeIfDone(s);
            return;
        }
        if (goAwaySent && id > goAwayLastStream) {
            return; // §6.8: streams after our GOAWAY are ignored, their blocks decoded above
        }
        if (streams.size() >= limits.maxConcurrentStreams()) {
            spend("refused stream");
            throw Http2Exception.stream(id, ErrorCode.REFUSED_STREAM, "more than " + limits.maxConcurrentStreams()
                    + " concurrent streams"); // §5.1.2
        }
        if (!fits) {
            s = open(id, end, -1);
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
        Http2Stream s = new Http2Stream(id, StreamState.IDLE.receiveHeaders(id, end), peer.initialWindowSize(),
                limits.streamWindow(), contentLength);
        streams.put(id, s);
        return s;
    }

    private void rstStream(Frame f) throws Http2Exception {
        ErrorCode code = FramePayloads.rstStream(f);
        int id = f.streamId();
        Http2Stream s = streams.get(id);
        if (s == null) {
            if (id > lastStreamId) {
                throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, "RST_STREAM on idle stream " + id);
            }
            return; // already closed: nothing to do (§5.1)
        }
        s.state = s.state.receiveReset(id);
        streams.remove(id);
        // A stream the peer opens and cancels before its answer costs work and serves nothing (CVE-2023-44487).
        spend("stream reset by the client");
        listener.reset(id, code);
    }

    private void settings(Frame f) throws Http2Exception {
        if (f.has(FrameType.FLAG_ACK)) {
            FramePayloads.settings(f, peer);
            if (settingsUnacked) {
                settingsUnacked = false;
                decoder.setLimit(limits.headerTableSize());
            }
            return;
        }
        spend("SETTINGS");
        long oldWindow = peer.initialWindowSize();
        FramePayloads.settings(f, peer);
        long delta = peer.initialWindowSize() - oldWindow;
        if (delta != 0) {
            for (Http2Stream s : streams.values()) {
                s.sendWindow.adjust(delta); // §6.9.2
            }
        }
        encoder.peerTableSize(peer.headerTableSize());
        FrameWriter.settingsAck(out.room(FrameType.HEADER_LENGTH));
        if (delta > 0) {
            for (Http2Stream s : streams.values()) {
                listener.writable(s.id);
            }
        }
    }

    private void ping(Frame f) throws Http2Exception {
        long data = FramePayloads.ping(f);
        if (f.has(FrameType.FLAG_ACK)) {
            return;
        }
        spend("PING");
        FrameWriter.ping(out.room(17), data, true);
    }

    private void windowUpdate(Frame f) throws Http2Exception {
        int id = f.streamId();
        int increment = FramePayloads.windowUpdate(f);
        if (id == 0) {
            connectionSend.increment(increment);
            listener.writable(0);
            return;
        }
        Http2Stream s = streams.get(id);
        if (s == null) {
            if (id > lastStreamId) {
                throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, "WINDOW_UPDATE on idle stream " + id);
            }
            return;
        }
        s.sendWindow.increment(increment);
        listener.writable(id);
    }

    private void spend(String what) throws Http2Exception {
        if (--budget < 0) {
            throw Http2Exception.connection(ErrorCode.ENHANCE_YOUR_CALM, "too many frames that serve nothing ("
                    + what + ")");
        }
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
        if (s == null) {
            return 0;
        }
        return Math.max(0, Math.min(s.sendWindow.available(), connectionSend.available()));
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
        if (length > sendWindow(streamId) || length > peer.maxFrameSize()) {
            throw new IllegalStateException("DATA of " + length + " beyond the window or frame size");
        }
        s.sendWindow.consume(length);
        connectionSend.consume(length);
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
        // A completed answer earns back what a misbehaving client would have spent (capped at the start budget).
        budget = Math.min(limits.abuseBudget(), budget + 2);
        closeIfDone(s);
    }

    /** The handler consumed {@code octets} of the stream's request body: credit them back to the client. */
    public void consumed(int streamId, int octets) {
        connectionReceive.credit(octets, out);
        Http2Stream s = streams.get(streamId);
        if (s == null || !s.state.remoteOpen()) {
            return;
        }
        s.credit += octets;
        if (s.credit >= limits.streamWindow() / 2) {
            FrameWriter.windowUpdate(out.room(13), streamId, s.credit);
            try {
                s.receiveWindow.increment(s.credit);
            } catch (Http2Exception impossible) {
                throw new IllegalStateException(impossible);
            }
            s.credit = 0;
        }
    }

    /**
     * {@code octets} of the stream's request body were thrown away unread: only the connection window is credited,
     * so the stream's sender stops at its window (and is held to the body timeout) instead of uploading for ever.
     */
    public void discarded(int streamId, int octets) {
        connectionReceive.credit(octets, out);
    }

    /** The server gives up on a stream (its handler failed, or the client went quiet). */
    public void resetStream(int streamId, ErrorCode code) {
        if (streams.containsKey(streamId)) {
            resetByUs(streamId, code);
        }
    }

    private void resetByUs(int streamId, ErrorCode code) {
        FrameWriter.rstStream(out.room(13), streamId, code);
        recentlyReset.add(streamId);
        if (streams.remove(streamId) != null) {
            listener.reset(streamId, code);
        }
    }

    /** Graceful shutdown (§6.8): streams up to the last one opened are still answered, none after. */
    public void goAway(ErrorCode code, String debug) {
        if (goAwaySent || phase == Phase.CLOSED) {
            return;
        }
        goAwaySent = true;
        goAwayLastStream = lastStreamId;
        byte[] d = debug.getBytes(StandardCharsets.UTF_8);
        FrameWriter.goAway(out.room(17 + d.length), lastStreamId, code, d);
    }

    private void fail(ErrorCode code, String message) {
        goAwaySent = false;
        goAway(code, message == null ? "" : message);
        phase = Phase.CLOSED;
    }

    private void closeIfDone(Http2Stream s) {
        if (s != null && s.state == StreamState.CLOSED) {
            streams.remove(s.id);
        }
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
