package org.liso.http2;

import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Set;
import org.liso.http.Headers;

/**
 * Encodes header blocks (RFC 7541 §6) for one connection. Fields found whole in a table are sent as an index; others
 * as literals, added to the dynamic table when they are likely to repeat on later responses of the connection, and
 * Huffman-coded when that is shorter. Sensitive fields are sent never-indexed (§7.1.3).
 */
public final class HpackEncoder {
    /** Fields whose values rarely repeat: indexing them would only evict ones that do. */
    private static final Set<String> NOT_INDEXED = Set.of(":path", "content-length", "content-range", "etag",
            "last-modified", "location", "set-cookie", "age", "expires");

    private final DynamicTable table;
    private final BlockWriter out = new BlockWriter(256);
    /** The most this side will use, whatever the peer allows. */
    private final long cap;
    /** Smallest size the table passed through since the last block, and the size it ends at: §4.2 updates. */
    private long pendingLowest = -1;
    private long pendingFinal = -1;

    public HpackEncoder(int cap) {
        this.cap = cap;
        // Until the peer's SETTINGS arrive, its decoder's table is the default 4,096 octets (RFC 9113 §6.5.2).
        this.table = new DynamicTable(Math.min(cap, 4096));
        if (cap < 4096) {
            pendingLowest = cap;
            pendingFinal = cap;
        }
    }

    /** The peer's SETTINGS_HEADER_TABLE_SIZE changed: the next block signals the size this side will use. */
    public void peerTableSize(long peerMax) {
        long size = Math.min(cap, peerMax);
        pendingLowest = pendingLowest < 0 ? size : Math.min(pendingLowest, size);
        pendingFinal = size;
        table.setMaxSize(size);
    }

    /** Starts a new block; what {@link #block()} returned before becomes invalid. */
    public void startBlock() {
        out.reset();
        if (pendingFinal >= 0) {
            // §4.2: the smallest size reached must be signalled, then the final one, if they differ.
            if (pendingLowest < pendingFinal) {
                integer(0x20, 5, pendingLowest);
            }
            integer(0x20, 5, pendingFinal);
            pendingLowest = -1;
            pendingFinal = -1;
        }
    }

    /** Adds one field; names must already be lower case (RFC 9113 §8.2.1). */
    public void field(String name, String value, boolean sensitive) {
        int exact = sensitive ? 0 : StaticTable.indexOf(name, value);
        if (exact == 0 && !sensitive) {
            int d = table.indexOf(name, value);
            exact = d == 0 ? 0 : d + StaticTable.LENGTH;
        }
        if (exact > 0) {
            integer(0x80, 7, exact);
            return;
        }
        int nameIndex = StaticTable.indexOfName(name);
        if (nameIndex == 0 && !sensitive) {
            int d = table.indexOfName(name);
            nameIndex = d == 0 ? 0 : d + StaticTable.LENGTH;
        }
        boolean index = !sensitive && !NOT_INDEXED.contains(name)
                && DynamicTable.entrySize(name, value) <= table.maxSize() / 2;
        if (sensitive) {
            integer(0x10, 4, nameIndex);
        } else if (index) {
            integer(0x40, 6, nameIndex);
        } else {
            integer(0x00, 4, nameIndex);
        }
        if (nameIndex == 0) {
            string(name);
        }
        string(value);
        if (index) {
            table.add(name, value);
        }
    }

    /** The encoded block; valid until the next {@link #startBlock}. */
    public ByteBuffer block() {
        return out.view();
    }

    /**
     * A response's block: {@code :status}, then its fields lower-cased without the connection-specific ones HTTP/2
     * forbids (RFC 9113 §8.2.2); cookies and credentials never indexed (RFC 7541 §7.1.3). Valid as {@link #block}.
     */
    public ByteBuffer responseBlock(int status, Headers headers) {
        startBlock();
        field(":status", Integer.toString(status), false);
        for (int i = 0; i < headers.size(); i++) {
            String name = headers.name(i).toLowerCase(Locale.ROOT);
            if (!FieldRules.connectionSpecific(name)) {
                field(name, headers.value(i), name.equals("set-cookie") || name.equals("authorization"));
            }
        }
        return block();
    }

    private void string(String s) {
        int huffman = Huffman.encodedLength(s);
        if (huffman < s.length()) {
            integer(0x80, 7, huffman);
            Huffman.encode(s, out);
        } else {
            integer(0x00, 7, s.length());
            out.writeLatin1(s);
        }
    }

    /** §5.1: {@code value} with an N-bit prefix, the first octet's high bits set to {@code pattern}. */
    private void integer(int pattern, int prefix, long value) {
        int mask = (1 << prefix) - 1;
        if (value < mask) {
            out.writeByte(pattern | (int) value);
            return;
        }
        out.writeByte(pattern | mask);
        value -= mask;
        while (value >= 0x80) {
            out.writeByte((int) (value & 0x7f) | 0x80);
            value >>>= 7;
        }
        out.writeByte((int) value);
    }
}
