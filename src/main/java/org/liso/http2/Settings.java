package org.liso.http2;

/**
 * The SETTINGS parameters of RFC 9113 §6.5.2 as one peer has set them, starting from the protocol's initial values.
 * Values are checked as they arrive: an out-of-range value is the error §6.5.2 names; unknown identifiers are
 * ignored.
 */
public final class Settings {
    public static final int HEADER_TABLE_SIZE = 0x1;
    public static final int ENABLE_PUSH = 0x2;
    public static final int MAX_CONCURRENT_STREAMS = 0x3;
    public static final int INITIAL_WINDOW_SIZE = 0x4;
    public static final int MAX_FRAME_SIZE = 0x5;
    public static final int MAX_HEADER_LIST_SIZE = 0x6;
    /** RFC 9218 §2.1: the peer does not use the RFC 7540 priority signals. */
    public static final int NO_RFC7540_PRIORITIES = 0x9;

    public static final long MAX_WINDOW = (1L << 31) - 1;
    /** "Unlimited" for the settings whose initial value is unlimited. */
    public static final long UNLIMITED = Long.MAX_VALUE;

    private long headerTableSize = 4096;
    private boolean enablePush = true;
    private long maxConcurrentStreams = UNLIMITED;
    private long initialWindowSize = 65_535;
    private int maxFrameSize = FrameType.MIN_MAX_FRAME_SIZE;
    private long maxHeaderListSize = UNLIMITED;

    /** Applies one parameter (identifier, 32-bit unsigned value). */
    public void apply(int id, long value) throws Http2Exception {
        switch (id) {
            case HEADER_TABLE_SIZE -> headerTableSize = value;
            case ENABLE_PUSH -> {
                if (value > 1) {
                    throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, "SETTINGS_ENABLE_PUSH " + value);
                }
                enablePush = value == 1;
            }
            case MAX_CONCURRENT_STREAMS -> maxConcurrentStreams = value;
            case INITIAL_WINDOW_SIZE -> {
                if (value > MAX_WINDOW) {
                    throw Http2Exception.connection(ErrorCode.FLOW_CONTROL_ERROR,
                            "SETTINGS_INITIAL_WINDOW_SIZE " + value);
                }
                initialWindowSize = value;
            }
            case MAX_FRAME_SIZE -> {
                if (value < FrameType.MIN_MAX_FRAME_SIZE || value > FrameType.MAX_MAX_FRAME_SIZE) {
                    throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, "SETTINGS_MAX_FRAME_SIZE " + value);
                }
                maxFrameSize = (int) value;
            }
            case MAX_HEADER_LIST_SIZE -> maxHeaderListSize = value;
            case NO_RFC7540_PRIORITIES -> {
                if (value > 1) {
                    throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, "SETTINGS_NO_RFC7540_PRIORITIES "
                            + value);
                }
            }
            default -> {
                // §6.5.2: an endpoint that receives a SETTINGS frame with any unknown identifier MUST ignore it.
            }
        }
    }

    public long headerTableSize() {
        return headerTableSize;
    }

    public boolean enablePush() {
        return enablePush;
    }

    public long maxConcurrentStreams() {
        return maxConcurrentStreams;
    }

    public long initialWindowSize() {
        return initialWindowSize;
    }

    public int maxFrameSize() {
        return maxFrameSize;
    }

    public long maxHeaderListSize() {
        return maxHeaderListSize;
    }
}
