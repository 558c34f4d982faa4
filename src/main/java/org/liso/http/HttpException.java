package org.liso.http;

/** Interim version; the full codec lands from the http branch. */
public class HttpException extends Exception {
    private final int status;
    private final boolean losesFraming;

    public HttpException(int status, String message) {
        this(status, message, false);
    }

    public HttpException(int status, String message, boolean losesFraming) {
        super(message);
        this.status = status;
        this.losesFraming = losesFraming;
    }

    public int status() {
        return status;
    }

    public boolean losesFraming() {
        return losesFraming;
    }
}
