package org.liso.cgi;

/**
 * What the CGI scripts of a server did since it started.
 *
 * @param running  scripts started and not yet reaped
 * @param started  scripts started (or tried)
 * @param failed   scripts that gave their client no valid response (could not start, no or an invalid head, output
 *                 broken off); a script killed because its client left is not counted
 * @param timedOut scripts killed for their --cgi-timeout
 */
public record CgiCounts(int running, long started, long failed, long timedOut) {
}
