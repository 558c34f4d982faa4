package org.liso.http;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the parser over the same bytes cut in different ways and describes the result as one string, so that every
 * split can be compared with the unsplit parse.
 */
final class Feeding {
    private Feeding() {
    }

    /** Feeds {@code bytes} as buffers cut at the given indexes; describes the first request or the error. */
    static String parse(RequestLimits limits, byte[] bytes, int... cuts) {
        RequestParser parser = new RequestParser(limits);
        List<ByteBuffer> pieces = pieces(bytes, cuts);
        int consumed = 0;
        try {
            for (ByteBuffer piece : pieces) {
                int before = piece.position();
                Request r = parser.parse(piece);
                consumed += piece.position() - before;
                if (r != null) {
                    return describe(r) + " consumed=" + consumed;
                }
            }
            return "incomplete inProgress=" + parser.inProgress() + " consumed=" + consumed;
        } catch (HttpException e) {
            return "error " + e.status() + " framing=" + e.losesFraming() + " " + e.getMessage();
        }
    }

    static String parseWhole(RequestLimits limits, byte[] bytes) {
        return parse(limits, bytes);
    }

    static String parseBytewise(RequestLimits limits, byte[] bytes) {
        int[] cuts = new int[Math.max(0, bytes.length - 1)];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = i + 1;
        }
        return parse(limits, bytes, cuts);
    }

    static List<ByteBuffer> pieces(byte[] bytes, int... cuts) {
        List<ByteBuffer> out = new ArrayList<>();
        int from = 0;
        for (int cut : cuts) {
            out.add(ByteBuffer.wrap(bytes, from, cut - from).slice());
            from = cut;
        }
        out.add(ByteBuffer.wrap(bytes, from, bytes.length - from).slice());
        return out;
    }

    static String describe(Request r) {
        StringBuilder b = new StringBuilder();
        b.append("ok method=").append(r.methodName()).append('/').append(r.method())
                .append(" target=").append(r.target()).append(" path=").append(r.path())
                .append(" query=").append(r.query()).append(" version=").append(r.version().text())
                .append(" host=").append(r.host()).append(" authority=").append(r.authority())
                .append(" keepAlive=").append(r.keepAlive()).append(" body=").append(r.bodyKind())
                .append(" length=").append(r.contentLength()).append(" fields=");
        Headers h = r.headers();
        for (int i = 0; i < h.size(); i++) {
            b.append('[').append(h.name(i)).append(':').append(h.value(i)).append(']');
        }
        return b.toString();
    }
}
