package org.liso.cli;

/** sysexits-style exit codes, as documented in the README and every command's --help. */
final class ExitCodes {
    static final int OK = 0;
    /** The checked thing is negative: probe found a port closed, doctor found a bind would fail. */
    static final int NEGATIVE = 1;
    static final int USAGE = 2;
    /** EX_UNAVAILABLE: bind failed, address in use or not local. */
    static final int UNAVAILABLE = 69;
    /** EX_IOERR. */
    static final int IO_ERROR = 74;
    /** EX_NOPERM. */
    static final int NO_PERMISSION = 77;
    /** EX_CONFIG: missing root, unreadable key or certificate. */
    static final int CONFIG = 78;

    static final String HELP_FOOTER = "%nExit codes: 0 ok, 1 negative result, 2 usage error, 69 unavailable (bind failed),"
            + " 74 I/O error, 77 permission denied, 78 bad configuration.";

    private ExitCodes() {
    }
}
