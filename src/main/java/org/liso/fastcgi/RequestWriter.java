package org.liso.fastcgi;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.liso.server.spi.SpooledBody;

/**
 * The records of one request (specification §5.1–5.3): FCGI_BEGIN_REQUEST and the PARAMS stream in one buffer, then
 * the STDIN stream read from the buffered body one record at a time, so a large body is never all in memory. Can be
 * {@linkplain #restart restarted} from the top (a retry on a fresh connection). Loop thread only.
 */
final class RequestWriter {
    private final int requestId;
    private final byte[] params;
    private final SpooledBody body;
    private ByteBuffer record;
    private long position;
    private boolean done;

    /**
     * @param params the name-value pairs, encoded (§3.4)
     * @param body   the request body, read whole, or null for none (its owner releases it)
     */
    RequestWriter(int requestId, byte[] params, SpooledBody body) {
        this.requestId = requestId;
        this.params = params;
        this.body = body;
    }

    /** BEGIN_REQUEST and the PARAMS stream; without a body the empty STDIN record too, in the same write. */
    ByteBuffer restart(boolean keepConn) {
        position = 0;
        done = false;
        boolean noBody = body == null;
        ByteBuffer head = ByteBuffer.allocate(Records.HEADER + 8 + Records.streamSize(params.length)
                + (noBody ? Records.HEADER : 0));
        Records.beginRequest(head, requestId, keepConn);
        Records.putStream(head, Records.PARAMS, requestId, params);
        if (noBody) {
            Records.header(head, Records.STDIN, requestId, 0, 0);
            done = true;
        }
        return head.flip();
    }

    /** True once the empty STDIN record that ends the stream was handed out (or the rest was given up). */
    boolean done() {
        return done;
    }

    /** Nothing more is to be sent (the request is being aborted). */
    void stop() {
        done = true;
    }

    /**
     * The next STDIN record. It reuses one buffer: call again only once the previous record was written.
     *
     * @throws IOException when the buffered body cannot be read back
     */
    ByteBuffer next() throws IOException {
        int n = 0;
        if (body != null) {
            if (record == null) {
                record = ByteBuffer.allocate(Records.HEADER + Records.STREAM_CONTENT);
            }
            record.clear().position(Records.HEADER);
            n = Math.max(0, body.read(record, position));
        }
        if (n == 0) {
            done = true;
            ByteBuffer last = ByteBuffer.allocate(Records.HEADER);
            Records.header(last, Records.STDIN, requestId, 0, 0);
            return last.flip();
        }
        position += n;
        int padding = (8 - (n & 7)) & 7; // STREAM_CONTENT is a multiple of 8: only the last record pads
        record.put(new byte[padding]).flip();
        Records.header(record.duplicate(), Records.STDIN, requestId, n, padding);
        return record;
    }
}
