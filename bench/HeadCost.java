import java.nio.ByteBuffer;
import java.util.Arrays;
import org.liso.http.Headers;
import org.liso.http.HttpDate;
import org.liso.http.ResponseHead;

/**
 * What a static file's HTTP/1.1 head costs to build and encode, the two ways ResponseSender has had: every field
 * added to the response's Headers and encoded char by char (before), and the server's own lines (Date, Server,
 * X-Content-Type-Options) encoded once a second and copied into the head (ServerFields.encodedFor), and the whole
 * head kept once a second in a direct buffer (server.HeadCache: what a hit costs is the handler's Headers, one
 * comparison per field object and a view of the kept buffer; modelled here, as the class is the server's own). The
 * fields are those liso sends for /1k.bin. Nanoseconds per head, median of 15 rounds of 2 million heads after 5 of warm-up, the
 * two ways alternating round by round in one JVM (so a busy machine slows both alike).
 * Usage: java -cp target/classes bench/HeadCost.java
 */
public class HeadCost {
    private static final String TYPE = "application/octet-stream";
    private static final String MODIFIED = "Tue, 01 Dec 2026 18:16:38 GMT";
    private static final String ETAG = "\"23054f-400-18ed33ff50010e0a\"";
    private static final int N = 2_000_000;
    static long sink;

    /** The handler's fields, as FileResponses gives them. */
    private static Headers fileFields() {
        Headers h = new Headers();
        h.add("Content-Type", TYPE);
        h.add("Last-Modified", MODIFIED);
        h.add("ETag", ETAG);
        h.add("Accept-Ranges", "bytes");
        return h;
    }

    private static long everyField() {
        long t = System.nanoTime();
        for (int i = 0; i < N; i++) {
            Headers h = fileFields();
            h.add("Date", HttpDate.now());
            h.add("Server", "liso/0.1.0");
            if (!h.contains("X-Content-Type-Options")) {
                h.add("X-Content-Type-Options", "nosniff");
            }
            h.add("Content-Length", Long.toString(1024));
            ByteBuffer b = ByteBuffer.allocate(ResponseHead.size(200, h));
            ResponseHead.write(200, h, b);
            sink += b.position();
        }
        return (System.nanoTime() - t) / N;
    }

    private static String encodedDate;
    private static byte[] encoded;

    private static long serverLinesOnce() {
        long t = System.nanoTime();
        for (int i = 0; i < N; i++) {
            Headers h = fileFields();
            byte[] lines = h.contains("X-Content-Type-Options") ? new byte[0] : lines();
            int at = h.size();
            h.add("Content-Length", Long.toString(1024));
            ByteBuffer b = ByteBuffer.allocate(ResponseHead.size(200, h) + lines.length);
            ResponseHead.write(200, h, at, lines, b);
            sink += b.position();
        }
        return (System.nanoTime() - t) / N;
    }

    private static byte[] lines() {
        String date = HttpDate.now();
        if (date != encodedDate) {
            Headers mine = new Headers();
            mine.add("Date", date);
            mine.add("Server", "liso/0.1.0");
            mine.add("X-Content-Type-Options", "nosniff");
            encoded = ResponseHead.fieldLines(mine);
            encodedDate = date;
        }
        return encoded;
    }

    private static ByteBuffer keptHead;
    private static String[] keptValues;

    private static long keptOnce() {
        long t = System.nanoTime();
        for (int i = 0; i < N; i++) {
            Headers h = fileFields();
            byte[] lines = lines();
            if (keptHead == null || lines != encoded) {
                keep(fileFields(), lines);
            }
            boolean same = h.size() == keptValues.length;
            for (int f = 0; same && f < keptValues.length; f++) {
                same = h.value(f) == keptValues[f];
            }
            ByteBuffer b = same ? keptHead.duplicate() : null;
            sink += b.remaining();
        }
        return (System.nanoTime() - t) / N;
    }

    private static void keep(Headers h, byte[] lines) {
        keptValues = new String[h.size()];
        for (int f = 0; f < h.size(); f++) {
            keptValues[f] = h.value(f);
        }
        h.add("Content-Length", Long.toString(1024));
        ByteBuffer b = ByteBuffer.allocate(ResponseHead.size(200, h) + lines.length);
        ResponseHead.write(200, h, 4, lines, b);
        keptHead = ByteBuffer.allocateDirect(b.flip().remaining()).put(b).flip().asReadOnlyBuffer();
    }

    public static void main(String[] args) {
        long[] before = new long[15];
        long[] after = new long[15];
        long[] kept = new long[15];
        for (int r = -5; r < 15; r++) {
            long a = everyField();
            long b = serverLinesOnce();
            long c = keptOnce();
            if (r >= 0) {
                before[r] = a;
                after[r] = b;
                kept[r] = c;
            }
        }
        Arrays.sort(before);
        Arrays.sort(after);
        Arrays.sort(kept);
        System.out.printf("| every field encoded per head | %d ns (%d-%d) |%n", before[7], before[0], before[14]);
        System.out.printf("| server lines encoded once a second | %d ns (%d-%d) |%n", after[7], after[0], after[14]);
        System.out.printf("| whole head kept once a second | %d ns (%d-%d) |%n", kept[7], kept[0], kept[14]);
        System.out.printf("| ratio, lines once / every field | %.2f |%n", (double) after[7] / before[7]);
        System.out.printf("| ratio, kept head / lines once | %.2f |%n", (double) kept[7] / after[7]);
    }
}
