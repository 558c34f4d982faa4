package org.liso.http2;

/**
 * Frame types and flags of RFC 9113 §6. Types are plain ints, not an enum: a frame of a type this side does not know
 * is read and ignored (§4.1, §5.5), so any value must pass through.
 */
public final class FrameType {
    public static final int DATA = 0x0;
    public static final int HEADERS = 0x1;
    public static final int PRIORITY = 0x2;
    public static final int RST_STREAM = 0x3;
    public static final int SETTINGS = 0x4;
    public static final int PUSH_PROMISE = 0x5;
    public static final int PING = 0x6;
    public static final int GOAWAY = 0x7;
    public static final int WINDOW_UPDATE = 0x8;
    public static final int CONTINUATION = 0x9;

    public static final int FLAG_END_STREAM = 0x1;
    public static final int FLAG_ACK = 0x1;
    public static final int FLAG_END_HEADERS = 0x4;
    public static final int FLAG_PADDED = 0x8;
    public static final int FLAG_PRIORITY = 0x20;

    /** §4.1: the fixed 9-octet frame header. */
    public static final int HEADER_LENGTH = 9;
    /** §4.2 and §6.5.2: the smallest maximum frame size, and the largest a peer may set. */
    public static final int MIN_MAX_FRAME_SIZE = 1 << 14;
    public static final int MAX_MAX_FRAME_SIZE = (1 << 24) - 1;

    private static final String[] NAMES = {"DATA", "HEADERS", "PRIORITY", "RST_STREAM", "SETTINGS", "PUSH_PROMISE",
        "PING", "GOAWAY", "WINDOW_UPDATE", "CONTINUATION"};

    private FrameType() {
    }

    public static String name(int type) {
        return type >= 0 && type < NAMES.length ? NAMES[type] : "UNKNOWN(0x" + Integer.toHexString(type) + ")";
    }
}
