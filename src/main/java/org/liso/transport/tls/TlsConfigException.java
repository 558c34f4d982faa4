package org.liso.transport.tls;

/**
 * A key, certificate or TLS setting that cannot be used. The message names the file (or setting) and the problem in
 * one sentence, ready for the command line to print as is.
 */
public final class TlsConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    public TlsConfigException(String message) {
        super(message);
    }

    public TlsConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
