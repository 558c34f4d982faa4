package org.liso.cgi;

import org.liso.Log;

/**
 * Chooses how the JDK starts scripts. On JDK 17–20 the default on Linux, POSIX_SPAWN, execs the helper
 * {@code jspawnhelper} before the script: two execs per request. VFORK (the Linux default up to JDK 11) execs the
 * script directly; measured here it halved the cost of a trivial CGI request (bench/results/cgi.md). Later JDKs
 * deprecate VFORK and spawn faster themselves, so they keep their default. An explicit
 * {@code -Djdk.lang.Process.launchMechanism} always wins.
 */
final class SpawnMechanism {
    static final String PROPERTY = "jdk.lang.Process.launchMechanism";
    private static final int LAST_FEATURE_RELEASE_WITH_VFORK_PREFERRED = 20;

    private SpawnMechanism() {
    }

    /** Sets VFORK when nothing was chosen; takes effect only if this JVM has not started a process yet. */
    static void prefer() {
        if (System.getProperty(PROPERTY) == null
                && Runtime.version().feature() <= LAST_FEATURE_RELEASE_WITH_VFORK_PREFERRED) {
            System.setProperty(PROPERTY, "VFORK");
        }
        Log.debug("cgi", "process launch mechanism", "mechanism", System.getProperty(PROPERTY, "default"));
    }
}
