package org.liso.cgi;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A cleartext HTTP/2 client by prior knowledge (RFC 9113 §3.3) that holds a response back with flow control: its
 * streams start with a window of 0 (SETTINGS_INITIAL_WINDOW_SIZE, §6.5.2), so the server can send no DATA until
 * {@link #openWindow}, and whatever its producer makes meanwhile stays queued in the server. The one request is
 * stream 1, a GET with Accept-Encoding: gzip; the answer is collected as raw DATA octets, with whether END_STREAM
 * came. Every read has a deadline.
 */
final class H2WindowClient implements AutoCloseable {
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int DATA = 0;
    private static final int HEADERS = 1;
    private static final int RST_STREAM = 3;
    private static final int SETTINGS = 4;
    private static final int GOAWAY = 7;
    private static final int WINDOW_UPDATE = 8;
    private static final int END_STREAM = 0x1;

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;
    private final ByteArrayOutputStream data = new ByteArrayOutputStream();
    private boolean headersSeen;
    private boolean ended;
    private String failure;

    private H2WindowClient(Socket socket) throws IOException {
        this.socket = socket;
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(200);
        this.out = socket.getOutputStream();
        this.in = new DataInputStream(socket.getInputStream());
    }

    /** Connects, says the preface with a stream window of 0, and sends {@code GET path}. */
    static H2WindowClient get(int port, String path) throws IOException {
        H2WindowClient c = new H2WindowClient(new Socket("127.0.0.1", port));
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(PREFACE);
        frame(b, SETTINGS, 0, 0, new byte[] {0, 4, 0, 0, 0, 0}); // SETTINGS_INITIAL_WINDOW_SIZE = 0
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        block.write(0x82); // :method GET (static index 2)
        block.write(0x86); // :scheme http (6)
        literal(block, 4, path); // :path, literal without indexing, indexed name (RFC 7541 §6.2.2)
        literal(block, 1, "localhost"); // :authority
        literal(block, 16, "gzip"); // accept-encoding
        frame(b, HEADERS, 0x4 | END_STREAM, 1, block.toByteArray()); // END_HEADERS
        c.out.write(b.toByteArray());
        c.out.flush();
        return c;
    }

    /** Reads frames until the response's HEADERS came, or the deadline; true if they did. */
    boolean awaitHeaders(long deadlineNanos) throws IOException {
        while (!headersSeen && failure == null && System.nanoTime() < deadlineNanos) {
            readFrame();
        }
        return headersSeen;
    }

    /** Lets the server send: a large window for stream 1 (the connection's own is 65,535 and enough to start). */
    void openWindow() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] increment = ByteBuffer.allocate(4).putInt(1 << 30).array();
        frame(b, WINDOW_UPDATE, 0, 1, increment);
        frame(b, WINDOW_UPDATE, 0, 0, increment);
        out.write(b.toByteArray());
        out.flush();
    }

    /** Reads until END_STREAM, a reset, or the deadline; true when the stream ended cleanly. */
    boolean awaitEnd(long deadlineNanos) throws IOException {
        while (!ended && failure == null && System.nanoTime() < deadlineNanos) {
            readFrame();
        }
        return ended;
    }

    byte[] data() {
        return data.toByteArray();
    }

    /** What went wrong (a reset, GOAWAY, the connection closed), or null. */
    String failure() {
        return failure;
    }

    private void readFrame() throws IOException {
        byte[] h = new byte[9];
        try {
            in.readFully(h, 0, 1);
        } catch (SocketTimeoutException quiet) {
            return; // nothing yet: the caller looks at its deadline
        } catch (java.io.EOFException closed) {
            failure = "connection closed";
            return;
        }
        socket.setSoTimeout(5000); // a frame begun is read whole
        in.readFully(h, 1, 8);
        int length = (h[0] & 0xff) << 16 | (h[1] & 0xff) << 8 | (h[2] & 0xff);
        int type = h[3] & 0xff;
        int flags = h[4] & 0xff;
        int stream = ByteBuffer.wrap(h, 5, 4).getInt() & 0x7fffffff;
        byte[] payload = new byte[length];
        in.readFully(payload);
        socket.setSoTimeout(200);
        if (type == SETTINGS && (flags & 0x1) == 0) {
            ByteArrayOutputStream ack = new ByteArrayOutputStream();
            frame(ack, SETTINGS, 0x1, 0, new byte[0]);
            out.write(ack.toByteArray());
            out.flush();
        } else if (type == HEADERS && stream == 1) {
            headersSeen = true;
            ended |= (flags & END_STREAM) != 0;
        } else if (type == DATA && stream == 1) {
            int pad = (flags & 0x8) != 0 ? (payload[0] & 0xff) + 1 : 0;
            data.write(payload, pad == 0 ? 0 : 1, length - pad);
            ended |= (flags & END_STREAM) != 0;
        } else if (type == RST_STREAM || type == GOAWAY) {
            failure = (type == RST_STREAM ? "RST_STREAM " : "GOAWAY ") + stream;
        }
    }

    private static void literal(ByteArrayOutputStream b, int nameIndex, String value) {
        if (nameIndex < 15) {
            b.write(nameIndex);
        } else {
            b.write(15);
            b.write(nameIndex - 15);
        }
        byte[] v = value.getBytes(StandardCharsets.US_ASCII);
        b.write(v.length); // shorter than 127: one octet, no Huffman
        b.write(v, 0, v.length);
    }

    private static void frame(ByteArrayOutputStream b, int type, int flags, int stream, byte[] payload) {
        b.write(payload.length >>> 16);
        b.write(payload.length >>> 8);
        b.write(payload.length);
        b.write(type);
        b.write(flags);
        b.writeBytes(ByteBuffer.allocate(4).putInt(stream).array());
        b.writeBytes(payload);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
