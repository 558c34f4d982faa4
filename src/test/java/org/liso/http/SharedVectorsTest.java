package org.liso.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Runs the parser-level part of ../shared/vectors/http-requests.tsv (present beside the project in CI; a fresh clone
 * alone has only src/test/resources/http/requests.tsv). For each case the codec's verdict on the first request (head,
 * then body framing: Content-Length skipped, chunked decoded) must agree with the expected statuses:
 * <ul>
 *   <li>the codec threw: its status is expected, and it loses framing when the case expects a close;</li>
 *   <li>the codec accepted: an expected status is one that only the server decides: 200/206/304 (served), 403/404
 *       (path resolution), 405 and 501 for methods the server does not implement, 411 (POST without framing), 413
 *       (body over the server's limit). keep/close must match {@link Request#keepAlive()} and, for pipelined cases,
 *       the next request must parse.</li>
 * </ul>
 */
class SharedVectorsTest {
    private static final Path VECTORS = Path.of("..", "shared", "vectors", "http-requests.tsv");
    private static final long BODY_LIMIT = 1 << 20;

    @Test
    void sharedCorpusAgreesWithTheCodec() throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(VECTORS), "no ../shared/vectors beside the project");
        List<String[]> cases = Corpus.file(VECTORS);
        List<String> failures = new ArrayList<>();
        int byCodec = 0;
        int byServer = 0;
        for (String[] c : cases) {
            String verdict = verdict(c);
            if (verdict.startsWith("codec")) {
                byCodec++;
            } else if (verdict.startsWith("server")) {
                byServer++;
            } else {
                failures.add(c[0] + ": " + verdict);
            }
        }
        System.out.printf("ran shared corpus %s: %d cases, %d decided by the codec, %d left to the server%n",
                VECTORS, cases.size(), byCodec, byServer);
        assertThat(failures).isEmpty();
        assertThat(cases).hasSizeGreaterThan(10);
    }

    private static String verdict(String[] c) {
        Set<String> expect = Arrays.stream(c[1].split(",")).collect(Collectors.toSet());
        String after = c[2];
        int responses = Integer.parseInt(c[3]);
        ByteBuffer in = ByteBuffer.wrap(Escapes.decode(c[4]));
        try {
            Request first = new RequestParser(RequestLimits.DEFAULT).parse(in);
            if (first == null) {
                return expect.contains("-") ? "codec: needs more bytes, closing is fine" : "head incomplete";
            }
            skipBody(first, in);
            if (after.equals("keep") && !first.keepAlive() || after.equals("close") && responses == 1
                    && first.keepAlive() && serverLevel(first, expect).isEmpty()) {
                return "keepAlive=" + first.keepAlive() + " but expected " + after;
            }
            if (responses == 2 && new RequestParser(RequestLimits.DEFAULT).parse(in) == null) {
                return "second pipelined request did not parse";
            }
            String server = serverLevel(first, expect);
            return server.isEmpty() ? "codec accepted " + first + " but expected " + expect : "server: " + server;
        } catch (HttpException e) {
            if (!expect.contains(Integer.toString(e.status()))) {
                return "codec said " + e + " but expected " + expect;
            }
            if (after.equals("close") && !e.losesFraming()) {
                return "codec said " + e + " without losing framing, but the case expects close";
            }
            return "codec: " + e;
        }
    }

    private static void skipBody(Request r, ByteBuffer in) throws HttpException {
        if (r.bodyKind() == BodyKind.LENGTH) {
            in.position((int) Math.min(in.limit(), in.position() + r.contentLength()));
        } else if (r.bodyKind() == BodyKind.CHUNKED) {
            new ChunkedDecoder(BODY_LIMIT).decode(in, ByteBuffer.allocate(1024));
        }
    }

    /** The expected statuses this accepted request can get from the server; empty when none fits. */
    private static String serverLevel(Request r, Set<String> expect) {
        List<String> fits = new ArrayList<>();
        for (String s : expect) {
            boolean ok;
            switch (s) {
                case "200":
                case "206":
                case "304":
                case "403":
                case "404":
                    ok = r.method().implemented();
                    break;
                case "405":
                    ok = r.method() != Method.GET && r.method() != Method.HEAD;
                    break;
                case "501":
                    ok = !r.method().implemented();
                    break;
                case "411":
                    ok = r.method() == Method.POST && r.bodyKind() == BodyKind.NONE;
                    break;
                case "413":
                    ok = r.contentLength() > BODY_LIMIT;
                    break;
                default:
                    ok = false;
            }
            if (ok) {
                fits.add(s);
            }
        }
        return String.join(",", fits);
    }
}
