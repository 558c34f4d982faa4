package org.liso.http2;

/**
 * The streams this side reset lately: DATA the peer sent before it saw the RST_STREAM is dropped quietly instead of
 * being a STREAM_CLOSED error (RFC 9113 §5.4.2, §6.4). A fixed ring: the oldest is forgotten first.
 */
final class RecentResets {
    private final int[] ids;
    private int next;

    RecentResets(int size) {
        ids = new int[size]; // 0 is never a stream that can be reset
    }

    void add(int streamId) {
        ids[next] = streamId;
        next = (next + 1) % ids.length;
    }

    boolean contains(int streamId) {
        for (int id : ids) {
            if (id == streamId) {
                return true;
            }
        }
        return false;
    }
}
