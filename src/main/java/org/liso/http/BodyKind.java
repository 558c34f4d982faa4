package org.liso.http;

/** How a request's body is framed (RFC 9112 §6.3). */
public enum BodyKind {
    /** No body: neither Transfer-Encoding nor Content-Length. */
    NONE,
    /** Exactly {@link Request#contentLength()} bytes follow the head. */
    LENGTH,
    /** A chunked body follows; decode it with {@link ChunkedDecoder}. */
    CHUNKED
}
