package org.liso.http2;

/**
 * What a peer may make one session do for nothing: frames that cost work and serve nothing (PING, SETTINGS,
 * PRIORITY, empty DATA and CONTINUATION, streams reset or refused before their answer) spend the budget of
 * {@link SessionLimits#abuseBudget}, each completed answer earns some back; an exhausted budget ends the connection
 * with ENHANCE_YOUR_CALM (rapid reset, CVE-2023-44487, and the flood family).
 */
final class AbuseBudget {
    private final long limit;
    private long left;

    AbuseBudget(long limit) {
        this.limit = limit;
        this.left = limit;
    }

    void spend(String what) throws Http2Exception {
        if (--left < 0) {
            throw Http2Exception.connection(ErrorCode.ENHANCE_YOUR_CALM, "too many frames that serve nothing ("
                    + what + ")");
        }
    }

    /** A completed answer earns back what a misbehaving client would have spent (capped at the start budget). */
    void earn() {
        left = Math.min(limit, left + 2);
    }
}
