package org.liso.listen;

/** What {@code liso listen} does with the bytes a client sends. */
public enum ListenMode {
    /** Read and discard, like socat's {@code /dev/null}. */
    SINK,
    /** Send every byte back, in order. */
    ECHO,
    /** Write what arrives to stdout as text, each line tagged with its connection (a CRLF ends a line like LF). */
    PRINT,
    /** Write the bytes to stdout exactly as they came, untagged (socat's {@code STDOUT}). */
    RAW,
    /** Write a tagged hex dump (offset, 16 bytes, printable ASCII), like {@code xxd}. */
    HEX;

    /** Whether what arrives goes to stdout. */
    public boolean prints() {
        return this == PRINT || this == RAW || this == HEX;
    }
}
