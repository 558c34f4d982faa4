package org.liso.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * A byte count as every size option writes it: {@code 512}, {@code 512k}, {@code 10M}, {@code 1G}. The suffixes are
 * 1024-based and case-insensitive, as in nginx's {@code client_max_body_size 10m} and lighttpd; a bare number is
 * bytes. No fractions, signs or other suffixes: a size that cannot be read exactly is refused, not guessed.
 */
record Size(long bytes) {
    static final String FORMS = "a number of bytes, or with k, M or G (1024-based): 512, 64k, 10M, 1G";

    private static final Pattern FORM = Pattern.compile("(\\d+)([kmg]?)");

    static Size parse(String text) {
        Matcher m = FORM.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new CommandLine.TypeConversionException("'" + text + "' is not a size (" + FORMS + ")");
        }
        int shift = switch (m.group(2)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            default -> 0;
        };
        try {
            long n = Long.parseLong(m.group(1));
            if (n > Long.MAX_VALUE >> shift) {
                throw new NumberFormatException();
            }
            return new Size(n << shift);
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("'" + text + "' is too large for a size");
        }
    }

    /** The value as an int, for the options whose limit is an array length or a socket buffer. */
    int toInt(String option) {
        if (bytes > Integer.MAX_VALUE) {
            throw new CliFailure(ExitCodes.USAGE, option + " must be below 2G, was " + this);
        }
        return (int) bytes;
    }

    /** The shortest exact form, as --help shows defaults: 16M, 8k, 1000. */
    @Override
    public String toString() {
        for (String unit : new String[] {"G", "M", "k"}) {
            int shift = unit.equals("G") ? 30 : unit.equals("M") ? 20 : 10;
            if (bytes != 0 && bytes % (1L << shift) == 0) {
                return (bytes >> shift) + unit;
            }
        }
        return Long.toString(bytes);
    }
}
