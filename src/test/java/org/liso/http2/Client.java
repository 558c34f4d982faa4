package org.liso.http2;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.liso.http.Headers;

/**
 * A test client for {@link ServerSession}: writes client frames, feeds them in, and records what the session told
 * its listener and what frames it wrote back, both as readable lines.
 */
final class Client implements SessionListener {
    final ServerSession session;
    final List<String> events = new ArrayList<>();
    final List<String> frames = new ArrayList<>();
    final HpackEncoder encoder = new HpackEncoder(4096);
    final HpackDecoder decoder = new HpackDecoder(4096, 1 << 20);
    private final FrameReader reader = new FrameReader(1 << 24);
    private final ByteBuffer pending = ByteBuffer.allocate(1 << 20);
    Http2Exception failure;

    Client(SessionLimits limits) {
        session = new ServerSession(limits, this);
    }

    Client() {
        this(SessionLimits.DEFAULTS);
    }

    // ---- building client bytes ----

    Client preface() {
        pending.put(ServerSession.PREFACE);
        FrameWriter.settings(pending);
        return this;
    }

    Client raw(byte[] bytes) {
        pending.put(bytes);
        return this;
    }

    Client frame(int type, int flags, int stream, String hex) {
        byte[] p = HexFormat.of().parseHex(hex.replace(" ", ""));
        FrameWriter.header(pending, p.length, type, flags, stream);
        pending.put(p);
        return this;
    }

    ByteBuffer block(String... fields) {
        encoder.startBlock();
        for (String f : fields) {
            int eq = f.indexOf('=');
            encoder.field(f.substring(0, eq), f.substring(eq + 1), false);
        }
        ByteBuffer b = encoder.block();
        ByteBuffer copy = ByteBuffer.allocate(b.remaining()).put(b);
        return copy.flip();
    }

    Client headers(int stream, boolean end, String... fields) {
        FrameWriter.headers(pending, stream, block(fields), end, 16_384);
        return this;
    }

    Client get(int stream, String path) {
        return headers(stream, true, ":method=GET", ":scheme=https", ":path=" + path, ":authority=a.example");
    }

    Client data(int stream, String text, boolean end) {
        FrameWriter.data(pending, stream, ByteBuffer.wrap(text.getBytes()), end);
        return this;
    }

    /** Sends what was built, in one piece. */
    Client send() {
        pending.flip();
        byte[] all = new byte[pending.remaining()];
        pending.get(all);
        pending.clear();
        return feed(ByteBuffer.wrap(all));
    }

    Client feed(ByteBuffer in) {
        try {
            session.receive(in);
        } catch (Http2Exception e) {
            failure = e;
        }
        drain();
        return this;
    }

    byte[] built() {
        pending.flip();
        byte[] all = new byte[pending.remaining()];
        pending.get(all);
        pending.clear();
        return all;
    }

    /** Reads the session's output into {@link #frames}. */
    void drain() {
        ByteBuffer out = session.takeOutput();
        try {
            Frame f;
            while ((f = reader.next(out)) != null) {
                frames.add(describe(f));
            }
        } catch (Http2Exception e) {
            throw new AssertionError(e);
        }
    }

    private String describe(Frame f) throws Http2Exception {
        String s = FrameType.name(f.type()) + " " + f.streamId();
        switch (f.type()) {
            case FrameType.HEADERS -> {
                StringBuilder b = new StringBuilder();
                decoder.decode(FramePayloads.headers(f).fragment(), (n, v, never) -> b.append(' ').append(n)
                        .append('=').append(v));
                return s + b + (f.has(FrameType.FLAG_END_STREAM) ? " END" : "");
            }
            case FrameType.DATA -> {
                return s + " " + f.length() + (f.has(FrameType.FLAG_END_STREAM) ? " END" : "");
            }
            case FrameType.RST_STREAM -> {
                return s + " " + FramePayloads.rstStream(f);
            }
            case FrameType.GOAWAY -> {
                FramePayloads.GoAway g = FramePayloads.goAway(f);
                return s + " last=" + g.lastStreamId() + " " + g.code();
            }
            case FrameType.WINDOW_UPDATE -> {
                return s + " +" + FramePayloads.windowUpdate(f);
            }
            case FrameType.SETTINGS, FrameType.PING -> {
                return s + (f.has(FrameType.FLAG_ACK) ? " ACK" : "");
            }
            default -> {
                return s;
            }
        }
    }

    List<String> lastFrames(int n) {
        return frames.subList(Math.max(0, frames.size() - n), frames.size());
    }

    // ---- listener ----

    @Override
    public void request(int streamId, RequestHead head, boolean endStream) {
        events.add("request " + streamId + " " + head.method() + " " + head.path() + (endStream ? " END" : ""));
    }

    @Override
    public void headersTooLarge(int streamId, boolean endStream) {
        events.add("too large " + streamId);
    }

    @Override
    public void data(int streamId, ByteBuffer data, boolean endStream) {
        byte[] b = new byte[data.remaining()];
        data.get(b);
        events.add("data " + streamId + " " + new String(b) + (endStream ? " END" : ""));
    }

    @Override
    public void trailers(int streamId, Headers trailers) {
        events.add("trailers " + streamId + " " + trailers.size());
    }

    @Override
    public void reset(int streamId, ErrorCode code) {
        events.add("reset " + streamId + " " + code);
    }

    @Override
    public void writable(int streamId) {
        events.add("writable " + streamId);
    }

    @Override
    public void goAway(int lastStreamId, ErrorCode code) {
        events.add("goaway " + lastStreamId + " " + code);
    }
}
