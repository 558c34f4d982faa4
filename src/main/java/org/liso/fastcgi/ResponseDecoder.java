package org.liso.fastcgi;

import java.nio.ByteBuffer;

/**
 * What a Responder application sends back for one request (specification §6.2): FCGI_STDOUT and FCGI_STDERR
 * streams, then FCGI_END_REQUEST (§5.5), which ends the request. Management records (request id 0, §4) are skipped;
 * any other record, or one for another request, is a protocol error (this client never multiplexes). Pure and
 * incremental, like {@link RecordDecoder}; {@link #reset} readies it for the next request on a kept connection.
 */
final class ResponseDecoder implements RecordDecoder.Sink {

    /** Receives the response. */
    interface Listener {
        /** A part of the stdout stream (a view valid during the call only). */
        void stdout(ByteBuffer part);

        /** A part of the stderr stream (a view valid during the call only). */
        void stderr(ByteBuffer part);

        /** FCGI_END_REQUEST: the request is over; nothing follows for it. */
        void end(long appStatus, int protocolStatus);
    }

    private final Listener listener;
    private final byte[] endBody = new byte[8];
    private RecordDecoder records = new RecordDecoder();
    private int requestId;
    private int endBytes;
    private boolean ended;

    ResponseDecoder(int requestId, Listener listener) {
        this.requestId = requestId;
        this.listener = listener;
    }

    /**
     * Consumes {@code in} up to the end of the request.
     *
     * @return true once FCGI_END_REQUEST was read; bytes after it stay in {@code in}
     */
    boolean feed(ByteBuffer in) throws FastCgiException {
        if (ended) {
            return true;
        }
        records.feed(in, this);
        return ended;
    }

    /** For the next request on the same connection. */
    void reset(int nextRequestId) {
        records = new RecordDecoder();
        requestId = nextRequestId;
        endBytes = 0;
        ended = false;
    }

    @Override
    public void content(int type, int id, ByteBuffer part) throws FastCgiException {
        if (id == 0) {
            return; // a management record's content: nothing this client asked for
        }
        check(type, id);
        switch (type) {
            case Records.STDOUT -> listener.stdout(part);
            case Records.STDERR -> listener.stderr(part);
            default -> {
                int n = part.remaining();
                if (endBytes + n > endBody.length) {
                    throw new FastCgiException("FCGI_END_REQUEST body longer than 8 bytes");
                }
                part.get(endBody, endBytes, n);
                endBytes += n;
            }
        }
    }

    @Override
    public boolean end(int type, int id, int contentLength) throws FastCgiException {
        if (id == 0) {
            return true;
        }
        check(type, id);
        if (type != Records.END_REQUEST) {
            return true;
        }
        if (endBytes != endBody.length) {
            throw new FastCgiException("FCGI_END_REQUEST body of " + endBytes + " bytes, not 8");
        }
        ended = true;
        long appStatus = ((endBody[0] & 0xffL) << 24) | ((endBody[1] & 0xff) << 16) | ((endBody[2] & 0xff) << 8)
                | (endBody[3] & 0xff);
        listener.end(appStatus, endBody[4] & 0xff);
        return false;
    }

    private void check(int type, int id) throws FastCgiException {
        if (id != requestId) {
            throw new FastCgiException("record for request " + id + ", expected " + requestId);
        }
        if (type != Records.STDOUT && type != Records.STDERR && type != Records.END_REQUEST) {
            throw new FastCgiException("record type " + type + " from the application");
        }
    }
}
