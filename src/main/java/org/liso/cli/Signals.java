package org.liso.cli;

import sun.misc.Signal;

/**
 * SIGINT/SIGTERM begin a graceful shutdown instead of the JVM's abrupt exit (which would end with status 130/143),
 * so a stopped server exits 0 after flushing what it had queued.
 */
final class Signals {
    private Signals() {
    }

    static void onTerminate(Runnable action) {
        Signal.handle(new Signal("INT"), s -> action.run());
        Signal.handle(new Signal("TERM"), s -> action.run());
    }

    /** SIGHUP: reload (certificates); ignored where the platform has no such signal. */
    static void onHangup(Runnable action) {
        try {
            Signal.handle(new Signal("HUP"), s -> action.run());
        } catch (IllegalArgumentException unsupported) {
            // no SIGHUP here
        }
    }
}
