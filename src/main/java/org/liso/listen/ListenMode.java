package org.liso.listen;

/** What {@code liso listen} does with the bytes a client sends. */
public enum ListenMode {
    /** Read and discard, like socat's {@code /dev/null}. */
    SINK,
    /** Send every byte back, in order. */
    ECHO,
    /** Write what arrives to stdout, each line tagged with its connection. */
    PRINT
}
