package org.liso.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Runs each kind of exchange a test is about to repeat a few times before the test takes its baseline of the
 * server's descriptors and threads: the JVM opens some descriptors once, lazily (the first request opens a Unix
 * socket and /dev/null for good), and those are not leaks. A leak is what grows beyond that.
 */
public final class ServerWarmup {
    private ServerWarmup() {
    }

    public static void run(int port, List<KeepAliveLoad.Target> targets) throws IOException, InterruptedException {
        KeepAliveLoad.Result r = KeepAliveLoad.run(port, 4, targets, 4, 10_000, 20_000);
        if (!r.clean()) {
            throw new IllegalStateException("warm-up requests failed: " + r.problems());
        }
        RawClient.send(port, "GET /missing HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 300,
                false);
        RawClient.send(port, "GET / HTTP/1.1\r\nHost : a\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 300, false);
        Thread.sleep(500);
    }
}
