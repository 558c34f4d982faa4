package org.liso.loop;

/**
 * The three socket calls {@link NotSentLowWater} needs on a raw descriptor of this process, which the JDK offers no
 * public way to make: {@link FfmSocketCalls} (the FFM API, Java 22+) or {@link JdkSocketCalls} (the JDK's own
 * natives, when {@code java.base/sun.nio.ch} is opened to us). Each call answers -1 or false rather than throw.
 */
interface SocketCalls {
    /** An int option of {@code fd} (getsockopt), or -1. */
    int getIntOption(int fd, int level, int name);

    /** Sets an int option of {@code fd} (setsockopt); false when the kernel refused it. */
    boolean setIntOption(int fd, int level, int name, int value);

    /** The local port of an IPv4 or IPv6 socket, or -1 (another family, or not bound). */
    int boundPort(int fd);
}
