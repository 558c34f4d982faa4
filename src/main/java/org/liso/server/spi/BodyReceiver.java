package org.liso.server.spi;

import java.nio.ByteBuffer;

/** Receives a request body as the server decodes it (Content-Length or de-chunked). Loop thread only. */
public interface BodyReceiver {

    /**
     * Takes all of {@code chunk} (copy what you keep: the buffer is reused after the call).
     *
     * @return false to pause: the server stops reading the body until {@link Exchange#resumeBody()}
     */
    boolean data(ByteBuffer chunk);

    /** The whole body has arrived. */
    void end();
}
