package org.liso.cli;

/** The line of --help that says how sizes and durations are written, for every command that has such options. */
final class UnitsHelp {
    static final String DURATIONS = "%nDurations: " + TimeSpan.FORMS + ".";
    static final String FOOTER = "%nSizes: " + Size.FORMS + "." + DURATIONS;

    private UnitsHelp() {
    }
}
