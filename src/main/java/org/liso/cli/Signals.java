package org.liso.cli;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.liso.Log;
import sun.misc.Signal;

/**
 * The signals a server answers, installed for every server command:
 * <ul>
 *   <li>SIGINT/SIGTERM begin a graceful shutdown instead of the JVM's abrupt exit (status 130/143), so a stopped
 *       server exits 0 after flushing what it had queued;</li>
 *   <li>SIGHUP reloads (certificates read from files) and reopens every log, as lighttpd does after logrotate;</li>
 *   <li>SIGUSR1 reopens every log, as nginx does.</li>
 * </ul>
 * Without a handler the JVM treats SIGHUP as a request to exit (status 129), which is why the handler is installed
 * whether or not there is anything to reload.
 */
final class Signals {
    private static final List<Runnable> RELOADS = new CopyOnWriteArrayList<>();
    private static final List<Runnable> REOPENS = new CopyOnWriteArrayList<>();

    private Signals() {
    }

    static void onTerminate(Runnable action) {
        Signal.handle(new Signal("INT"), s -> action.run());
        Signal.handle(new Signal("TERM"), s -> action.run());
    }

    /** Runs {@code action} on SIGHUP (certificate reload). */
    static void onReload(Runnable action) {
        RELOADS.add(action);
    }

    /** Runs {@code action} on SIGHUP and SIGUSR1 (log reopening). */
    static void onReopenLogs(Runnable action) {
        REOPENS.add(action);
    }

    /** Installs the SIGHUP and SIGUSR1 handlers; a platform without one of them goes without. */
    static void installReloadHandlers() {
        install("HUP", () -> {
            Log.info("signal", "SIGHUP: reopening logs" + (RELOADS.isEmpty() ? "" : ", reloading certificates"));
            REOPENS.forEach(Signals::runGuarded);
            RELOADS.forEach(Signals::runGuarded);
        });
        install("USR1", () -> {
            Log.info("signal", "SIGUSR1: reopening logs");
            REOPENS.forEach(Signals::runGuarded);
        });
    }

    private static void install(String name, Runnable action) {
        try {
            Signal.handle(new Signal(name), s -> action.run());
        } catch (IllegalArgumentException unavailable) {
            Log.warn("signal", "SIG" + name + " cannot be handled on this platform", "error",
                    unavailable.getMessage());
        }
    }

    private static void runGuarded(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException fault) {
            Log.error("signal", "signal action failed", "error", fault.toString());
        }
    }
}
