package org.liso.http2;

/**
 * What one HTTP/2 connection may cost, each with a default and a flag in the server's command line.
 *
 * @param maxConcurrentStreams SETTINGS_MAX_CONCURRENT_STREAMS; streams beyond it are refused (RFC 9113 §5.1.2)
 * @param maxFrameSize SETTINGS_MAX_FRAME_SIZE this side reads
 * @param streamWindow SETTINGS_INITIAL_WINDOW_SIZE: request body octets a stream may send ahead of the handler
 * @param connectionWindow the same for the whole connection
 * @param headerTableSize SETTINGS_HEADER_TABLE_SIZE for the HPACK decoder
 * @param maxHeaderListSize SETTINGS_MAX_HEADER_LIST_SIZE; a request beyond it is answered 431
 * @param maxHeaderBlock octets of HEADERS + CONTINUATION fragments gathered for one block (CONTINUATION floods)
 * @param abuseBudget frames that cost work and serve nothing (PING, SETTINGS, PRIORITY, empty DATA and
 *        CONTINUATION, streams reset or refused before their answer) allowed ahead of the answers completed; beyond
 *        it the connection ends with ENHANCE_YOUR_CALM (rapid reset, CVE-2023-44487, and the flood family)
 */
public record SessionLimits(int maxConcurrentStreams, int maxFrameSize, int streamWindow, int connectionWindow,
        int headerTableSize, int maxHeaderListSize, int maxHeaderBlock, int abuseBudget) {

    public static final SessionLimits DEFAULTS = new SessionLimits(100, 16_384, 1 << 20, 4 << 20, 4096, 16_384,
            64 << 10, 1_000);

    public SessionLimits {
        if (maxFrameSize < FrameType.MIN_MAX_FRAME_SIZE || maxFrameSize > FrameType.MAX_MAX_FRAME_SIZE) {
            throw new IllegalArgumentException("max frame size out of range: " + maxFrameSize);
        }
        // Below the protocol's initial 65,535 the peer could overrun the window before it sees the SETTINGS.
        if (streamWindow < 65_535 || connectionWindow < 65_535) {
            throw new IllegalArgumentException("flow-control windows below 65,535");
        }
    }
}
