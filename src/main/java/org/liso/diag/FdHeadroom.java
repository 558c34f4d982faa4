package org.liso.diag;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How many more descriptors this process may open: every socket a server accepts takes one, so a bind that works
 * under {@code ulimit -n 16} still leaves a server that fails at its fifth connection.
 *
 * @param open descriptors open now; -1 unknown
 * @param soft the soft limit (RLIMIT_NOFILE, what `ulimit -n` shows); -1 unknown
 * @param hard the hard limit, the ceiling the soft one may be raised to without privilege; -1 unknown
 */
public record FdHeadroom(long open, long soft, long hard) {

    /** Below this many free descriptors a server is close to EMFILE. */
    static final long LOW = 256;

    public static FdHeadroom now() {
        long counted = HostFacts.fdsOpen();
        // The count lists /proc/self/fd through a descriptor of its own, gone once it returns.
        return new FdHeadroom(counted > 0 ? counted - 1 : counted, HostFacts.fdLimit(), HostFacts.fdHardLimit());
    }

    /** Descriptors still free; -1 unknown. */
    public long free() {
        return open < 0 || soft < 0 ? -1 : Math.max(0, soft - open);
    }

    /** "12 open, soft limit 16, hard limit 16". */
    public String text() {
        return (open < 0 ? "? (could not count them)" : Long.toString(open)) + " open, soft limit " + text(soft)
                + ", hard limit " + text(hard);
    }

    /** A warning when a server here would soon run out, else null. */
    public String warning() {
        long free = free();
        if (soft < 0 || free >= LOW) {
            return null;
        }
        String left = free < 0 ? ": the limit is low"
                : free == 0 ? ": none left, so a server here cannot accept a single connection (EMFILE)"
                : ": " + free + " left, so a server here fails (EMFILE) after about " + free + " connection(s)";
        return "file descriptors: " + text() + left + ". Raise it: `ulimit -n "
                + (hard > soft ? Math.min(hard, 65536) : "65536") + "`" + (hard > soft ? "" : " as root (the hard"
                + " limit is " + text(hard) + ")") + ", or LimitNOFILE= in a systemd unit.";
    }

    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("open", open < 0 ? null : open);
        m.put("soft_limit", soft < 0 ? null : soft == Long.MAX_VALUE ? null : soft);
        m.put("hard_limit", hard < 0 || hard == Long.MAX_VALUE ? null : hard);
        m.put("hard_unlimited", hard == Long.MAX_VALUE);
        return m;
    }

    static String text(long limit) {
        return limit == Long.MAX_VALUE ? "unlimited" : limit < 0 ? "unknown" : Long.toString(limit);
    }
}
