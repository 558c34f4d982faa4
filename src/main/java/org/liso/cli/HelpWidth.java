package org.liso.cli;

import picocli.CommandLine;

/**
 * How wide {@code --help} is. On a terminal, its width: COLUMNS when the shell exported it, else picocli asks the
 * terminal (usageHelpAutoWidth). Not on a terminal (a pipe, a file, a test), wide enough that picocli wraps nothing:
 * the texts are broken into lines by hand, and an example wrapped in the middle of a command could not be pasted.
 */
final class HelpWidth {
    /** Wider than any line of any help text, so no line is wrapped. */
    static final int UNWRAPPED = 2000;
    /** picocli's smallest usage width. */
    static final int MINIMUM = 55;

    private HelpWidth() {
    }

    /** Applies the width to {@code cl} and every subcommand it has now. */
    static void apply(CommandLine cl) {
        boolean terminal = System.console() != null;
        Integer columns = terminal ? columns(System.getenv("COLUMNS")) : null;
        if (terminal && columns == null) {
            cl.setUsageHelpAutoWidth(true);
        } else {
            cl.setUsageHelpWidth(width(terminal, columns));
        }
    }

    /** The fixed width: the terminal's columns (at least {@link #MINIMUM}), or {@link #UNWRAPPED} off a terminal. */
    static int width(boolean terminal, Integer columns) {
        if (!terminal || columns == null) {
            return UNWRAPPED;
        }
        return Math.max(MINIMUM, columns);
    }

    /** COLUMNS as a number, or null when it is unset or not a positive number. */
    static Integer columns(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            int n = Integer.parseInt(value.trim());
            return n > 0 ? n : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
