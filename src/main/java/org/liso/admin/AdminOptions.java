package org.liso.admin;

import java.net.InetSocketAddress;

/**
 * The admin listener and the drain before a shutdown (issue 16): their own settings, apart from the HTTP server's.
 *
 * @param address          where {@code /healthz} and {@code /metrics} are served, or null for no admin listener (the
 *                         default); never one of the public listeners
 * @param drainDelayMillis on SIGTERM, how long {@code /healthz} answers 503 while every listener still serves, before
 *                         the graceful shutdown begins: a load balancer's check interval, so it stops sending first
 */
public record AdminOptions(InetSocketAddress address, long drainDelayMillis) {
    /** Connections the admin listener serves at once: a scraper, a balancer's checks and a few `liso top`s. */
    public static final int MAX_CONNECTIONS = 64;

    public static final AdminOptions OFF = new AdminOptions(null, 0);

    public AdminOptions {
        if (drainDelayMillis < 0) {
            throw new IllegalArgumentException("drain delay must not be negative, was " + drainDelayMillis);
        }
    }
}
