package org.liso.server;

/**
 * How a connection sends large bodies (file regions). Measured in bench/results/large-files.md.
 *
 * @param fileBytesPerTurn most file bytes one connection hands to the kernel per turn of the loop before the next
 *                         ready connection gets its turn (lighttpd bounds a turn at 256 KiB too); a short
 *                         {@code sendfile} ends the turn at once, since the socket is full
 * @param notSentLowWater  TCP_NOTSENT_LOWAT for accepted connections (set on the listener through the FFM API on
 *                         Java 22+, through the JDK's own setsockopt on 17-21 when {@code java.base/sun.nio.ch} is
 *                         opened; 0 leaves the kernel's default): at most this many bytes wait unsent in a socket, so
 *                         the server's own {@code sendfile} transmits them instead of the client's ACKs doing it on
 *                         the client's CPU. On loopback the transmitting side also runs the receiver's softirq, so
 *                         this moves that work onto the server too (bench/results/large-files.md, session 5)
 */
public record SendOptions(long fileBytesPerTurn, int notSentLowWater) {
    public static final SendOptions DEFAULT = new SendOptions(256 << 10, 256 << 10);

    public SendOptions {
        if (fileBytesPerTurn < 1) {
            throw new IllegalArgumentException("file bytes per turn must be at least 1, was " + fileBytesPerTurn);
        }
        if (notSentLowWater < 0) {
            throw new IllegalArgumentException("the not-sent low-water mark must not be negative: " + notSentLowWater);
        }
    }
}
