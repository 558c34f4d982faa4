package org.liso.diag;

import java.net.InetSocketAddress;

/**
 * Why a bind failed, in words an operator can act on. Every server command prints {@link #paragraph()} (never a stack
 * trace) and exits with {@link #exitCode()}.
 *
 * @param address   what we tried to bind
 * @param cause     the classified cause
 * @param paragraph one short paragraph: what failed, why, and what to do next
 */
public record BindDiagnosis(InetSocketAddress address, Cause cause, String paragraph) {

    /** Classified causes of a failed bind, with the sysexits code each one maps to. */
    public enum Cause {
        FREE(0),
        IN_USE(69),
        IN_USE_TIME_WAIT(69),
        /** Connections a live process still holds (CLOSE-WAIT, ESTAB) after its listener closed. */
        IN_USE_CONNECTION(69),
        PERMISSION(77),
        NOT_LOCAL(69),
        FD_LIMIT(69),
        OTHER(69);

        private final int exitCode;

        Cause(int exitCode) {
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }

    public int exitCode() {
        return cause.exitCode();
    }
}
