package org.liso.http2;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Predicate;

/**
 * An HTTP/2 client over a real socket for conformance tests: it writes whatever frames a case needs (valid or not)
 * and reads the server's frames back as readable lines, {@code "HEADERS 1 :status=200 ... END"}, {@code "RST_STREAM 3
 * PROTOCOL_ERROR"}, {@code "GOAWAY 0 last=1 FRAME_SIZE_ERROR"}, so a case states what it expects in the RFC's terms.
 * Every read has a deadline: a server that says nothing fails the case instead of hanging it.
 */
final class WireClient implements AutoCloseable {
    static final long DEADLINE_MILLIS = 5_000;

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final FrameReader reader = new FrameReader(FrameType.MAX_MAX_FRAME_SIZE);
    final HpackEncoder encoder = new HpackEncoder(4096);
    final HpackDecoder decoder = new HpackDecoder(4096, 1 << 20);
    private final ByteBuffer inBuf = ByteBuffer.allocate(1 << 17).flip();
    private ByteBuffer pending = ByteBuffer.allocate(1 << 16);
    /** Every frame read so far, described. */
    final List<String> seen = new ArrayList<>();
    /** DATA octets received per stream id (index), for flow-control cases. */
    final long[] dataOctets = new long[1 << 12];
    private boolean eof;

    WireClient(Socket socket) throws IOException {
        this.socket = socket;
        socket.setTcpNoDelay(true);
        this.out = socket.getOutputStream();
        this.in = socket.getInputStream();
    }

    static WireClient open(int port) throws IOException {
        return new WireClient(new Socket("127.0.0.1", port));
    }

    // ---- building what is sent ----

    private void room(int n) {
        if (pending.remaining() < n) {
            ByteBuffer b = ByteBuffer.allocate(Math.max(pending.capacity() * 2, pending.position() + n));
            pending.flip();
            b.put(pending);
            pending = b;
        }
    }

    /** The client preface and a SETTINGS frame with {@code pairs} (id, value, id, value...). */
    WireClient preface(long... pairs) {
        room(ServerSession.PREFACE.length + 9 + 6 * pairs.length);
        pending.put(ServerSession.PREFACE);
        FrameWriter.settings(pending, pairs);
        return this;
    }

    WireClient raw(byte[] bytes) {
        room(bytes.length);
        pending.put(bytes);
        return this;
    }

    /** A frame of any type with a payload given in hex (spaces allowed). */
    WireClient frame(int type, int flags, int stream, String hex) {
        byte[] p = HexFormat.of().parseHex(hex.replace(" ", ""));
        return frame(type, flags, stream, p);
    }

    WireClient frame(int type, int flags, int stream, byte[] payload) {
        room(9 + payload.length);
        FrameWriter.header(pending, payload.length, type, flags, stream);
        pending.put(payload);
        return this;
    }

    /** An HPACK block of {@code name=value} fields, never Huffman-coded choices aside from the encoder's own. */
    byte[] block(String... fields) {
        encoder.startBlock();
        for (String f : fields) {
            int eq = f.indexOf('=', 1);
            encoder.field(f.substring(0, eq), f.substring(eq + 1), false);
        }
        ByteBuffer b = encoder.block();
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return a;
    }

    WireClient headers(int stream, boolean end, String... fields) {
        byte[] b = block(fields);
        room(FrameWriter.headersLength(b.length, 16_384));
        FrameWriter.headers(pending, stream, ByteBuffer.wrap(b), end, 16_384); // CONTINUATION beyond 16 KiB
        return this;
    }

    WireClient get(int stream, String path) {
        return headers(stream, true, ":method=GET", ":scheme=http", ":path=" + path, ":authority=127.0.0.1");
    }

    WireClient data(int stream, byte[] bytes, boolean end) {
        return frame(FrameType.DATA, end ? FrameType.FLAG_END_STREAM : 0, stream, bytes);
    }

    /** A SETTINGS frame with {@code pairs} (id, value, id, value...). */
    WireClient settingsFrame(long... pairs) {
        room(9 + 6 * pairs.length);
        FrameWriter.settings(pending, pairs);
        return this;
    }

    WireClient settingsAck() {
        return frame(FrameType.SETTINGS, FrameType.FLAG_ACK, 0, new byte[0]);
    }

    WireClient windowUpdate(int stream, int increment) {
        room(13);
        FrameWriter.windowUpdate(pending, stream, increment);
        return this;
    }

    WireClient rst(int stream, ErrorCode code) {
        room(13);
        FrameWriter.rstStream(pending, stream, code);
        return this;
    }

    WireClient ping(long data) {
        room(17);
        FrameWriter.ping(pending, data, false);
        return this;
    }

    /** Writes what was built, in one piece. */
    WireClient send() throws IOException {
        pending.flip();
        out.write(pending.array(), pending.position(), pending.remaining());
        out.flush();
        pending.clear();
        return this;
    }

    // ---- reading what comes back ----

    /** The next frame described, or null at EOF; fails after the deadline. */
    String next() throws IOException {
        long deadline = System.currentTimeMillis() + DEADLINE_MILLIS;
        for (;;) {
            Frame f;
            String d;
            try {
                f = reader.next(inBuf);
                d = f == null ? null : describe(f);
            } catch (Http2Exception e) {
                throw new AssertionError("the server sent a frame this client cannot read: " + e.getMessage());
            }
            if (d != null) {
                seen.add(d);
                return d;
            }
            if (eof) {
                return null;
            }
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                throw new AssertionError("no frame within " + DEADLINE_MILLIS + " ms; seen: " + seen);
            }
            socket.setSoTimeout((int) left);
            inBuf.compact();
            try {
                int n = in.read(inBuf.array(), inBuf.position(), inBuf.remaining());
                if (n < 0) {
                    eof = true;
                } else {
                    inBuf.position(inBuf.position() + n);
                }
            } catch (SocketTimeoutException e) {
                // the deadline check above decides
            } catch (IOException reset) {
                eof = true; // a reset after GOAWAY is a close, as far as a case is concerned
            } finally {
                inBuf.flip();
            }
        }
    }

    /** Reads until a frame matches; fails at EOF or the deadline without one. */
    String until(Predicate<String> wanted) throws IOException {
        String f;
        while ((f = next()) != null) {
            if (wanted.test(f)) {
                return f;
            }
        }
        throw new AssertionError("connection closed before the expected frame; seen: " + seen);
    }

    /** Reads until the frame of {@code prefix} that ends its stream. */
    String until(String prefix, boolean endStream) throws IOException {
        return until(f -> f.startsWith(prefix) && (!endStream || f.endsWith(" END")));
    }

    String until(String prefix) throws IOException {
        return until(f -> f.startsWith(prefix));
    }

    /** Reads to EOF (the server closed), returning the frames read; fails if it stays open past the deadline. */
    List<String> toClose() throws IOException {
        List<String> got = new ArrayList<>();
        String f;
        while ((f = next()) != null) {
            got.add(f);
        }
        return got;
    }

    /** True when the server closed the connection with GOAWAY carrying {@code code}. */
    String goAway() throws IOException {
        return until("GOAWAY");
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
                if (f.streamId() < dataOctets.length) {
                    dataOctets[f.streamId()] += f.length();
                }
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
            case FrameType.SETTINGS -> {
                if (f.has(FrameType.FLAG_ACK)) {
                    return s + " ACK";
                }
                Settings got = new Settings();
                FramePayloads.settings(f, got);
                return s + " streams=" + got.maxConcurrentStreams() + " window=" + got.initialWindowSize()
                        + " frame=" + got.maxFrameSize() + " headerList=" + got.maxHeaderListSize();
            }
            case FrameType.PING -> {
                return s + (f.has(FrameType.FLAG_ACK) ? " ACK " : " ") + Long.toHexString(FramePayloads.ping(f));
            }
            default -> {
                return s;
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
