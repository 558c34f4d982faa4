package org.liso.http2;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import org.liso.http.Headers;

/**
 * Any bytes after a valid client preface, in any number of pieces, with the server answering every request it is
 * told of: the session raises nothing but connection errors (with GOAWAY written), and its stream count stays within
 * its limit.
 */
class ServerSessionFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void anyFramesAfterThePreface(FuzzedDataProvider data) {
        Client c = new Client(new SessionLimits(4, 16_384, 65_535, 65_535, 4096, 4096, 8192, 50));
        c.preface().send();
        while (data.remainingBytes() > 0 && c.failure == null) {
            byte[] piece = data.consumeBytes(data.consumeInt(1, 200));
            c.feed(ByteBuffer.wrap(piece));
            for (String e : c.events) {
                if (e.startsWith("request ") || e.startsWith("too large ")) {
                    int id = Integer.parseInt(e.split(" ")[e.startsWith("too") ? 2 : 1]);
                    c.session.sendHeaders(id, 200, new Headers(), true);
                }
            }
            c.events.clear();
            c.drain();
            assertThat(c.session.activeStreams()).isLessThanOrEqualTo(4);
        }
        if (c.failure != null) {
            assertThat(c.failure.isConnectionError()).isTrue();
            assertThat(c.frames).last().asString().startsWith("GOAWAY");
        }
    }
}
