package org.liso.http2;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Decodes HPACK header blocks (RFC 7541 §6). One decoder per connection: its dynamic table carries over from block to
 * block, so every block must be decoded, in order, even one whose fields are thrown away.
 *
 * <p>A block is decoded whole: the frame layer joins HEADERS and CONTINUATION fragments up to a bound first
 * (RFC 9113 §4.3 makes the block one unit anyway: nothing may interleave, and a decoding error is a connection error
 * whatever fragment it falls in). Any malformed representation is COMPRESSION_ERROR (§4.3 of RFC 9113).
 *
 * <p>Bounds: the dynamic table never exceeds the size this side advertised; a header list larger than
 * {@code maxHeaderListSize} (RFC 9113 §6.5.2 accounting: name + value + 32 per field) stops reaching the sink but
 * decoding goes on so the table stays in step, and {@link #decode} returns false. References to a big entry cost
 * nothing per copy (strings are shared), which defuses the "HPACK bomb".
 */
public final class HpackDecoder {

    /** Receives each decoded field, in order. */
    public interface FieldSink {
        /** @param neverIndexed the sender marked the field sensitive (§6.2.3): any re-encoding must keep it so */
        void field(String name, String value, boolean neverIndexed) throws Http2Exception;
    }

    private final DynamicTable table;
    private final long maxHeaderListSize;
    /** The table size this side allows (SETTINGS_HEADER_TABLE_SIZE, once acknowledged). */
    private long limit;
    /** The limit fell below the table's size: the next block must open with a size update (§4.2). */
    private boolean updateRequired;
    private byte[] scratch = new byte[256];

    public HpackDecoder(int maxTableSize, int maxHeaderListSize) {
        this.table = new DynamicTable(maxTableSize);
        this.limit = maxTableSize;
        this.maxHeaderListSize = maxHeaderListSize;
    }

    /** A new SETTINGS_HEADER_TABLE_SIZE this side sent has been acknowledged by the peer. */
    public void setLimit(int maxTableSize) {
        if (maxTableSize < table.maxSize()) {
            updateRequired = true;
        }
        limit = maxTableSize;
    }

    /**
     * Decodes one whole header block, consuming {@code block}.
     *
     * @return true when the whole header list reached the sink; false when it exceeded the list-size bound
     */
    public boolean decode(ByteBuffer block, FieldSink sink) throws Http2Exception {
        byte[] in;
        int pos;
        int end;
        if (block.hasArray()) {
            in = block.array();
            pos = block.arrayOffset() + block.position();
            end = pos + block.remaining();
        } else {
            in = new byte[block.remaining()];
            block.duplicate().get(in);
            pos = 0;
            end = in.length;
        }
        block.position(block.limit());
        Cursor c = new Cursor(in, pos, end);
        long listSize = 0;
        boolean fits = true;
        boolean fieldSeen = false;
        while (c.pos < c.end) {
            int b = in[c.pos] & 0xff;
            if ((b & 0xe0) == 0x20) { // §6.3 dynamic table size update
                if (fieldSeen) {
                    throw error("table size update after a field");
                }
                long size = c.integer(5);
                if (size > limit) {
                    throw error("table size update above the advertised limit");
                }
                table.setMaxSize(size);
                updateRequired = false;
                continue;
            }
            if (updateRequired) {
                throw error("the block must open with a table size update");
            }
            fieldSeen = true;
            String name;
            String value;
            boolean neverIndexed = false;
            if ((b & 0x80) != 0) { // §6.1 indexed field
                int index = c.index(7);
                name = name(index);
                value = value(index);
            } else {
                boolean incremental = (b & 0xc0) == 0x40;
                neverIndexed = (b & 0xf0) == 0x10;
                int index = c.index(incremental ? 6 : 4, true);
                name = index == 0 ? string(c) : name(index);
                value = string(c);
                if (incremental) {
                    table.add(name, value);
                }
            }
            listSize += DynamicTable.entrySize(name, value);
            if (listSize > maxHeaderListSize) {
                fits = false;
            }
            if (fits) {
                sink.field(name, value, neverIndexed);
            }
        }
        return fits;
    }

    private String name(int index) throws Http2Exception {
        if (index <= StaticTable.LENGTH) {
            return StaticTable.name(index);
        }
        return table.name(dynamic(index));
    }

    private String value(int index) throws Http2Exception {
        if (index <= StaticTable.LENGTH) {
            return StaticTable.value(index);
        }
        return table.value(dynamic(index));
    }

    private int dynamic(int index) throws Http2Exception {
        int d = index - StaticTable.LENGTH;
        if (d > table.count()) {
            throw error("index " + index + " beyond the tables");
        }
        return d;
    }

    /** §5.2: a length with a Huffman flag, then the octets. */
    private String string(Cursor c) throws Http2Exception {
        if (c.pos >= c.end) {
            throw error("truncated string");
        }
        boolean huffman = (c.in[c.pos] & 0x80) != 0;
        long length = c.integer(7);
        if (length > c.end - c.pos) {
            throw error("string longer than the block");
        }
        int n = (int) length;
        int from = c.pos;
        c.pos += n;
        if (!huffman) {
            return new String(c.in, from, n, StandardCharsets.ISO_8859_1);
        }
        // The shortest code is 5 bits: n octets hold at most 8n/5 symbols.
        int most = (int) Math.min(Integer.MAX_VALUE - 8, (8L * n) / 5 + 1);
        if (scratch.length < most) {
            scratch = new byte[Math.max(most, scratch.length * 2)];
        }
        int len = Huffman.decode(c.in, from, n, scratch);
        return new String(scratch, 0, len, StandardCharsets.ISO_8859_1);
    }

    DynamicTable table() {
        return table;
    }

    static Http2Exception error(String message) {
        return Http2Exception.connection(ErrorCode.COMPRESSION_ERROR, message);
    }

    /** A read position in one block, with the prefixed-integer reader of §5.1. */
    private static final class Cursor {
        final byte[] in;
        int pos;
        final int end;

        Cursor(byte[] in, int pos, int end) {
            this.in = in;
            this.pos = pos;
            this.end = end;
        }

        /** An index that must not be 0 (§6.1: index 0 is an error). */
        int index(int prefix) throws Http2Exception {
            return index(prefix, false);
        }

        int index(int prefix, boolean zeroAllowed) throws Http2Exception {
            long v = integer(prefix);
            if (v == 0 && !zeroAllowed) {
                throw error("index 0");
            }
            if (v > Integer.MAX_VALUE) {
                throw error("index too large");
            }
            return (int) v;
        }

        /** §5.1; values beyond 2^31 - 1 are refused, which also bounds the continuation octets. */
        long integer(int prefix) throws Http2Exception {
            int mask = (1 << prefix) - 1;
            long v = in[pos++] & mask;
            if (v < mask) {
                return v;
            }
            int shift = 0;
            for (;;) {
                if (pos >= end) {
                    throw error("truncated integer");
                }
                int b = in[pos++] & 0xff;
                v += (long) (b & 0x7f) << shift;
                if (v > Integer.MAX_VALUE) {
                    throw error("integer too large");
                }
                if ((b & 0x80) == 0) {
                    return v;
                }
                shift += 7;
                if (shift > 28) {
                    throw error("integer with too many octets"); // zero-valued octets could go on forever
                }
            }
        }
    }
}
