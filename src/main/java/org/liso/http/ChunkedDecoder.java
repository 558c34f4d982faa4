package org.liso.http;

import java.nio.ByteBuffer;

/** Interim version (Content-Length bodies only); the full codec lands from the http branch. */
public final class ChunkedDecoder {
    private final long maxBody;

    public ChunkedDecoder(long maxBody) {
        this.maxBody = maxBody;
    }

    public boolean decode(ByteBuffer in, ByteBuffer out) throws HttpException {
        throw new HttpException(501, "chunked bodies arrive with the http branch (max " + maxBody + ")", true);
    }

    public Headers trailers() {
        return new Headers();
    }

    public long decodedLength() {
        return 0;
    }

    public void reset() {
        // nothing kept
    }
}
