package org.liso.cli;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * A duration as every time option writes it: {@code 500ms}, {@code 5s}, {@code 1.5s}, {@code 2m}, {@code 1h},
 * {@code 365d} (nginx's units, without its months and years). A bare number is seconds, which is what every such
 * option took before units existed. A fraction of a millisecond rounds up, so that a value above zero stays above zero.
 */
record TimeSpan(long millis) {
    static final String FORMS = "a number of seconds, or with ms, s, m, h or d: 500ms, 5s, 1.5s, 2m, 1h";

    /** Far beyond any timeout, and small enough that a loop may still count it in nanoseconds. */
    static final long MAX_MILLIS = Long.MAX_VALUE / 1_000_000;

    private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)?|\\.\\d+)(ms|s|m|h|d)?");

    static TimeSpan parse(String text) {
        Matcher m = FORM.matcher(text.trim());
        if (!m.matches()) {
            throw new CommandLine.TypeConversionException("'" + text + "' is not a duration (" + FORMS + ")");
        }
        long unit = switch (m.group(2) == null ? "s" : m.group(2)) {
            case "ms" -> 1;
            case "m" -> 60_000;
            case "h" -> 3_600_000;
            case "d" -> 86_400_000;
            default -> 1_000;
        };
        BigDecimal ms = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit)).setScale(0, RoundingMode.CEILING);
        if (ms.compareTo(BigDecimal.valueOf(MAX_MILLIS)) > 0) {
            throw new CommandLine.TypeConversionException("'" + text + "' is too long for a duration");
        }
        return new TimeSpan(ms.longValueExact());
    }

    /** Milliseconds, at least 1: for the timeouts where 0 would end everything at once. */
    long positive(String option) {
        if (millis < 1) {
            throw new CliFailure(ExitCodes.USAGE, option + " must be above 0 (" + FORMS + ")");
        }
        return millis;
    }

    /** The shortest exact form, as --help shows defaults: 60s, 2m, 500ms. */
    @Override
    public String toString() {
        if (millis == 0) {
            return "0";
        }
        long[] sizes = {86_400_000, 3_600_000, 60_000, 1_000};
        String[] names = {"d", "h", "m", "s"};
        for (int i = 0; i < sizes.length; i++) {
            if (millis % sizes[i] == 0) {
                return millis / sizes[i] + names[i];
            }
        }
        return millis + "ms";
    }
}
