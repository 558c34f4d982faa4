package org.liso.server;

import java.nio.ByteBuffer;
import org.liso.http.Headers;
import org.liso.server.spi.Body;

/**
 * HTTP/1.1 response heads encoded once and sent many times. A cached small file is answered with one shared
 * {@link Body.Bytes} and the same field values (its type, validators) on every request, so within one second of Date
 * its head is the same octets each time except for the Connection line: it is kept here, per Connection form, in a
 * direct buffer that every such response sends a view of, beside the body's own direct buffer in one gathering
 * write (no head encoding, and no copy into the JDK's temporary direct buffer that a heap head costs).
 *
 * <p>Nothing here decides what a head says. A head is kept only as {@link ResponseSender} encoded it the general way,
 * and found again only for the same body object, status, body length, server lines (the same array: the same second
 * and configuration, see {@link ServerFields#lines}) and Connection form, and for handler fields that are the same
 * String objects in the same order: so the kept octets are exactly what the general path would write. A head is kept
 * the second time its body is seen in a slot, so that one-off bodies (error pages, range slices) never cost a direct
 * buffer. One per {@link ServerFields}, so one per loop: its owning loop's thread only.
 */
final class HeadCache {
    /** Connection forms: no Connection field, {@code Connection: close}, {@code Connection: keep-alive}. */
    static final int PLAIN = 0;
    static final int CLOSE = 1;
    static final int KEEP_ALIVE = 2;
    private static final int SLOTS = 64;

    /** The heads of one body under one set of fields, in one second. */
    private static final class Kept {
        final Body.Bytes body;
        final long length;
        final int status;
        final byte[] lines;
        final String[] names;
        final String[] values;
        final ByteBuffer[] forms = new ByteBuffer[3];

        Kept(Body.Bytes body, int status, byte[] lines, Headers fields, int count) {
            this.body = body;
            this.length = body.length();
            this.status = status;
            this.lines = lines;
            this.names = new String[count];
            this.values = new String[count];
            for (int i = 0; i < count; i++) {
                names[i] = fields.name(i);
                values[i] = fields.value(i);
            }
        }

        /** Same inputs but perhaps another second's lines. */
        boolean sameKey(Body.Bytes b, int s, Headers fields, int count) {
            if (b != body || s != status || b.length() != length || count != names.length) {
                return false;
            }
            for (int i = 0; i < count; i++) {
                if (fields.name(i) != names[i] || fields.value(i) != values[i]) {
                    return false;
                }
            }
            return true;
        }
    }

    private final Kept[] slots = new Kept[SLOTS];
    /** Per slot, the body seen once there without a head kept for it. */
    private final Body.Bytes[] seen = new Body.Bytes[SLOTS];

    /**
     * A fresh view of the head kept for these inputs, or null.
     *
     * @param fields the handler's fields, before the server added anything
     */
    ByteBuffer find(Body.Bytes body, int status, Headers fields, int form, byte[] lines) {
        Kept k = slots[slot(body)];
        if (k == null || k.lines != lines || k.forms[form] == null || !k.sameKey(body, status, fields, fields.size())) {
            return null;
        }
        return k.forms[form].duplicate();
    }

    /**
     * Offers a head just encoded the general way: {@code head} (position to limit) is the whole head for these
     * inputs, the first {@code count} fields of {@code fields} being the handler's. The caller offers only a head
     * that took nothing away from the handler's fields and added only the server lines and framing.
     */
    void offer(Body.Bytes body, int status, Headers fields, int count, int form, byte[] lines, ByteBuffer head) {
        int i = slot(body);
        Kept k = slots[i];
        if (k == null || !k.sameKey(body, status, fields, count)) {
            if (seen[i] != body) {
                seen[i] = body;
                return;
            }
            seen[i] = null;
            k = null;
        }
        if (k == null || k.lines != lines) {
            k = new Kept(body, status, lines, fields, count); // a new second: the old heads stay with who sends them
            slots[i] = k;
        }
        ByteBuffer direct = ByteBuffer.allocateDirect(head.remaining());
        direct.put(head.duplicate()).flip();
        k.forms[form] = direct.asReadOnlyBuffer();
    }

    private static int slot(Body.Bytes body) {
        int h = System.identityHashCode(body);
        return (h ^ (h >>> 16)) & (SLOTS - 1);
    }
}
