package org.liso.http2;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.liso.http.Headers;

/**
 * The server side of one HTTP/2 connection as a pure protocol engine (RFC 9113): bytes in, events out to a
 * {@link Listener}, frames to send gathered in an output buffer. No sockets, no threads, no clocks: the connection type
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

    /** What the session tells the server; every callback runs inside {@link #receive}. */
    public interface Listener {
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

    private enum Phase { PREFACE, SETTINGS, FRAMES, CLOSED }

    /** RFC 9113 §3.4: the client's connection preface (the connection start stage looks for it too). */
    public static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    /** Streams this side reset lately: DATA already in flight for them is dropped quietly (§5.4.2, §6.4). */
    private static final int RECENT_RESETS = 64;

    private final SessionLimits limits;
    private final Listener listener;
    private final FrameReader reader;
    private final HpackDecoder decoder;
    private final HpackEncoder encoder;
    private final Settings peer = new Settings();
    private final Map<Integer, Http2Stream> streams = new HashMap<>();
    private final ArrayDeque<Integer> recentlyReset = new ArrayDeque<>();
    private final FlowWindow connectionSend = new FlowWindow(0, 65_535);
    private final FlowWindow connectionReceive;
    private int connectionCredit;
    private final BlockWriter blockIn = new BlockWriter(256);
    private ByteBuffer out;
    private Phase phase = Phase.PREFACE;
    private int prefaceMatched;
    private int lastStreamId;
    /** Stream whose header block is being gathered (CONTINUATION expected), or 0. */
    private int continuing;
    private boolean continuingEndStream;
    private boolean settingsUnacked = true;
    private boolean goAwaySent;
    private int goAwayLastStream = Integer.MAX_VALUE;
    private long budget;

    public ServerSession(SessionLimits limits, Listener listener) {
        this.limits = limits;
        this.listener = listener;
        this.reader = new FrameReader(limits.maxFrameSize());
        // Until our SETTINGS are acknowledged the peer may use the protocol's default table size (§6.5.3).
        this.decoder = new HpackDecoder(Math.max(4096, limits.headerTableSize()), limits.maxHeaderListSize());
        this.encoder = new HpackEncoder(4096);
        this.connectionReceive = new FlowWindow(0, limits.connectionWindow());
        this.budget = limits.abuseBudget();
        this.out = ByteBuffer.allocate(512);
        writeServerPreface();
    }

    private void writeServerPreface() {
        // §3.4: the server's preface is a SETTINGS frame; push is never used, so it is turned off explicitly.
        long[] s = {Settings.MAX_CONCURRENT_STREAMS, limits.maxConcurrentStreams(),
            Settings.INITIAL_WINDOW_SIZE, limits.streamWindow(), Settings.MAX_FRAME_SIZE, limits.maxFrameSize(),
            Settings.MAX_HEADER_LIST_SIZE, limits.maxHeaderListSize(), Settings.HEADER_TABLE_SIZE,
            limits.headerTableSize(), Settings.ENABLE_PUSH, 0};
        room(FrameType.HEADER_LENGTH + s.length * 3);
        FrameWriter.settings(out, s);
        if (limits.connectionWindow() > 65_535) {
            room(13);
            FrameWriter.windowUpdate(out, 0, limits.connectionWindow() - 65_535);
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
        if (continuing != 0 && (f.type() != FrameType.CONTINUATION || f.streamId() != continuing)) {
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
            creditConnection(f.length());
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
        blockIn.reset();
        continuing = id;
        continuingEndStream = f.has(FrameType.FLAG_END_STREAM);
        gather(h.fragment());
        if (f.has(FrameType.FLAG_END_HEADERS)) {
            endOfBlock();
        }
    }

    private void continuation(Frame f) throws Http2Exception {
        if (continuing == 0) {
            throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, "CONTINUATION without HEADERS");
        }
        ByteBuffer fragment = FramePayloads.continuation(f);
        if (!fragment.hasRemaining() && !f.has(FrameType.FLAG_END_HEADERS)) {
            spend("empty CONTINUATION");
        }
        gather(fragment);
        if (f.has(FrameType.FLAG_END_HEADERS)) {
            endOfBlock();
        }
    }

    private void gather(ByteBuffer fragment) throws Http2Exception {
        if (blockIn.size() + fragment.remaining() > limits.maxHeaderBlock()) {
            throw Http2Exception.connection(ErrorCode.ENHANCE_YOUR_CALM, "header block above "
                    + limits.maxHeaderBlock() + " octets");
        }
        while (fragment.hasRemaining()) {
            blockIn.writeByte(fragment.get());
        }
    }

    private void endOfBlock() throws Http2Exception {
        int id = continuing;
        boolean end = continuingEndStream;
        continuing = 0;
        RequestFields fields = new RequestFields(id);
        boolean fits = decoder.decode(blockIn.view(), fields); // always decoded whole: the table must stay in step
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
        room(FrameType.HEADER_LENGTH);
        FrameWriter.settingsAck(out);
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
        room(17);
        FrameWriter.ping(out, data, true);
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
        encoder.startBlock();
        encoder.field(":status", Integer.toString(status), false);
        for (int i = 0; i < headers.size(); i++) {
            String name = headers.name(i).toLowerCase(Locale.ROOT);
            if (!FieldRules.connectionSpecific(name)) {
                encoder.field(name, headers.value(i), name.equals("set-cookie") || name.equals("authorization"));
            }
        }
        ByteBuffer block = encoder.block();
        room(FrameWriter.headersLength(block.remaining(), peer.maxFrameSize()));
        FrameWriter.headers(out, streamId, block, endStream, peer.maxFrameSize());
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
        room(data.remaining());
        out.put(data);
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
        room(FrameType.HEADER_LENGTH);
        FrameWriter.header(out, length, FrameType.DATA, endStream ? FrameType.FLAG_END_STREAM : 0, streamId);
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
        creditConnection(octets);
        Http2Stream s = streams.get(streamId);
        if (s == null || !s.state.remoteOpen()) {
            return;
        }
        s.credit += octets;
        if (s.credit >= limits.streamWindow() / 2) {
            room(13);
            FrameWriter.windowUpdate(out, streamId, s.credit);
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
        creditConnection(octets);
    }

    private void creditConnection(int octets) {
        connectionCredit += octets;
        if (connectionCredit >= limits.connectionWindow() / 2) {
            room(13);
            FrameWriter.windowUpdate(out, 0, connectionCredit);
            try {
                connectionReceive.increment(connectionCredit);
            } catch (Http2Exception impossible) {
                throw new IllegalStateException(impossible);
            }
            connectionCredit = 0;
        }
    }

    /** The server gives up on a stream (its handler failed, or the client went quiet). */
    public void resetStream(int streamId, ErrorCode code) {
        if (streams.containsKey(streamId)) {
            resetByUs(streamId, code);
        }
    }

    private void resetByUs(int streamId, ErrorCode code) {
        room(13);
        FrameWriter.rstStream(out, streamId, code);
        recentlyReset.addLast(streamId);
        if (recentlyReset.size() > RECENT_RESETS) {
            recentlyReset.removeFirst();
        }
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
        room(17 + d.length);
        FrameWriter.goAway(out, lastStreamId, code, d);
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
        return out.position();
    }

    /** Everything written since the last call, to send in order; the session starts a fresh buffer. */
    public ByteBuffer takeOutput() {
        ByteBuffer b = out.flip();
        out = ByteBuffer.allocate(Math.min(Math.max(512, b.capacity() / 2), 64 << 10));
        return b;
    }

    private void room(int n) {
        if (out.remaining() < n) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(out.capacity() * 2, out.position() + n));
            out.flip();
            bigger.put(out);
            out = bigger;
        }
    }
}
