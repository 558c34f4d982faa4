package org.liso.listen;

/**
 * The outcome of probing one port.
 *
 * @param port    the port
 * @param status  what happened
 * @param detail  the system's words for a failure ("Connection refused"), empty when open
 * @param millis  time from connect to outcome
 */
public record ProbeResult(int port, Status status, String detail, long millis) {

    /** Probe outcomes; only {@link #OPEN} and {@link #OPEN_OR_FILTERED} count as open. */
    public enum Status {
        OPEN, OPEN_OR_FILTERED, REFUSED, TIMED_OUT, UNREACHABLE, ERROR;

        public boolean open() {
            return this == OPEN || this == OPEN_OR_FILTERED;
        }
    }

    /** The line nc -vz (OpenBSD netcat) prints for this outcome. */
    public String ncLine(String host, boolean udp) {
        String proto = udp ? "udp" : "tcp";
        return switch (status) {
            case OPEN -> "Connection to " + host + " " + port + " port [" + proto + "/*] succeeded!";
            case OPEN_OR_FILTERED -> "Connection to " + host + " " + port + " port [" + proto
                    + "/*] succeeded! (no reply: open or filtered)";
            case TIMED_OUT -> "connect to " + host + " port " + port + " (" + proto
                    + ") timed out: Operation now in progress";
            default -> "connect to " + host + " port " + port + " (" + proto + ") failed: " + detail;
        };
    }
}
