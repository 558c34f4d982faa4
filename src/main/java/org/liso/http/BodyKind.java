package org.liso.http;

/** Interim version; the full codec lands from the http branch. */
public enum BodyKind { NONE, LENGTH, CHUNKED }
