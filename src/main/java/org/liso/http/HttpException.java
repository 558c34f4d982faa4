package org.liso.http;

/**
 * A protocol error that the server answers with {@link #status()}. When {@link #losesFraming()} is true the server can
 * no longer find where the next request starts (RFC 9112 §6.3), so it must answer with {@code Connection: close} and
 * close.
 */
public final class HttpException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final boolean losesFraming;

    public HttpException(int status, String message) {
        this(status, message, false);
    }

    public HttpException(int status, String message, boolean losesFraming) {
        // No stack trace: these are expected answers to bad input, thrown on the hot path of hostile traffic.
        super(message, null, false, false);
        this.status = status;
        this.losesFraming = losesFraming;
    }

    public int status() {
        return status;
    }

    public boolean losesFraming() {
        return losesFraming;
    }

    @Override
    public String toString() {
        return status + " " + getMessage() + (losesFraming ? " (framing lost)" : "");
    }
}
