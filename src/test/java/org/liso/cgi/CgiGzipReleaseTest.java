package org.liso.cgi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;
import org.liso.http.HttpException;
import org.liso.loop.EventLoop;
import org.liso.testing.Await;

/**
 * Every end of a gzipped CGI run ends its Deflater (native zlib state, which a GC frees only whenever it runs): the
 * output complete, the client gone mid-body, the script timed out mid-body, a HEAD, a client without gzip. Real
 * gzip_endings.py processes, through {@link LoopExchange}; surefire runs the CGI unit tests twice (pom.xml), so the
 * pump threads move the pipes in one run and the loop in the other.
 */
class CgiGzipReleaseTest {
    @TempDir
    Path dir;
    private EventLoop loop;
    private CgiHandler handler;

    @BeforeEach
    void start() throws Exception {
        byte[] octets = new byte[150_000];
        new Random(7).nextBytes(octets);
        Files.write(dir.resolve("body.txt"), Base64.getMimeEncoder().encode(octets));
        loop = new EventLoop("cgi-gzip-test");
        new Thread(loop::run, "cgi-gzip-test-loop").start();
    }

    @AfterEach
    void stop() throws Exception {
        if (handler != null) {
            handler.close();
        }
        loop.stop();
        assertThat(loop.awaitStop(10_000)).isTrue();
    }

    @Test
    void everyEndOfARunEndsItsDeflater() throws Exception {
        handler = new CgiHandler(CgiScripts.install("gzip_endings.py", dir),
                CgiOptions.DEFAULT.withGzip(true).withTimeoutMillis(3000));
        System.out.println("CgiGzipReleaseTest: script pipes moved by " + handler.pipeMover());
        int before = GzipChunks.open();
        List<String> ends = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ends.addAll(run(exchange("GET", "whole-3000", "gzip", -1),
                    exchange("GET", "endless-40000", "gzip", 20_000), // the client leaves mid-body
                    exchange("GET", "big", "gzip", -1)));
        }
        ends.addAll(run(exchange("GET", "stalls-3000", "gzip", -1), // killed by the timeout mid-body
                exchange("HEAD", "whole-3000", "gzip", -1),
                exchange("GET", "whole-3000", "identity", -1)));
        assertThat(ends.stream().filter("complete"::equals).count()).as(ends.toString()).isEqualTo(6 + 6 + 2);
        assertThat(ends.stream().filter("client gone"::equals).count()).as(ends.toString()).isEqualTo(6);
        assertThat(ends.stream().filter("cut"::equals).count()).as(ends.toString()).isEqualTo(1);
        Await.until("no script running and every Deflater ended", 20_000,
                () -> handler.running() == 0 && GzipChunks.open() <= before);
        assertThat(handler.running()).as("scripts running").isZero();
        assertThat(GzipChunks.open() - before).as("Deflaters not ended").isZero();
    }

    /** Runs the exchanges at once; how each ended: complete, client gone, or cut (its body failed). */
    private List<String> run(LoopExchange... exchanges) throws Exception {
        for (LoopExchange x : exchanges) {
            loop.execute(() -> {
                try {
                    handler.handle(x);
                } catch (HttpException e) {
                    x.fail(e);
                }
            });
        }
        List<String> ends = new ArrayList<>();
        for (LoopExchange x : exchanges) {
            LoopExchange.Result r = x.result.get(30, TimeUnit.SECONDS);
            assertThat(r.status()).isEqualTo(200);
            ends.add(r.aborted() ? "client gone" : r.bodyFailed() ? "cut" : "complete");
        }
        return ends;
    }

    private LoopExchange exchange(String method, String query, String coding, long abortAfter) {
        return new LoopExchange(loop, method + " /cgi/?" + query + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Accept-Encoding: " + coding + "\r\n\r\n", new byte[0], false, abortAfter);
    }
}
