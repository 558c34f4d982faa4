package org.liso.server;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import org.liso.http.Headers;
import org.liso.http2.Http2Exception;
import org.liso.http2.ServerSession;

/**
 * Where an {@link Http2Exchange} writes its frames: the session (which accounts the windows and encodes the frames)
 * and the connection's output queue, kept in order. A DATA frame's payload is queued as it is, never copied into the
 * session's buffer: bytes in memory as a slice, a file as a region sent from the file (sendfile on plain TCP).
 */
final class Http2Wire {
    private final ServerSession session;
    private final OutputQueue out;

    Http2Wire(ServerSession session, OutputQueue out) {
        this.session = session;
        this.out = out;
    }

    long window(int streamId) {
        return session.sendWindow(streamId);
    }

    int maxFramePayload() {
        return session.maxFramePayload();
    }

    void headers(int streamId, int status, Headers h, boolean end) {
        session.sendHeaders(streamId, status, h, end);
    }

    /** A DATA frame whose payload is {@code bytes}, queued without a copy. */
    void data(int streamId, ByteBuffer bytes, boolean end, OutputQueue.Sent sent) {
        header(streamId, bytes.remaining(), end);
        out.add(bytes, sent);
    }

    /** A DATA frame whose payload is a region of {@code file}, sent from the file. */
    void fileData(int streamId, FileChannel file, long position, int length, boolean end, OutputQueue.Sent sent) {
        header(streamId, length, end);
        out.addFileRegion(file, position, length, sent);
    }

    /** The frame's 9-octet header, after everything the session wrote before it. */
    private void header(int streamId, int length, boolean end) {
        try {
            session.sendDataHeader(streamId, length, end);
        } catch (Http2Exception e) {
            throw new IllegalStateException(e);
        }
        out.add(session.takeOutput());
    }
}
