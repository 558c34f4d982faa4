package org.liso.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What a usage error says, and what it suggests: the flag a user coming from another server means (a port given as
 * {@code --port 8181} is {@code --http :8181} here), or the names nearest the one typed when they are within a typo
 * or two (picocli's own guesses go by shared letters and can be far off); a suggestion that is not plausible is
 * worse than none.
 */
final class UsageHints {
    /** Flags of other servers and tools, and the address option of ours that takes the port (as {@code :PORT}). */
    private static final Map<String, String> PORT_FLAGS = Map.of("--port", "--http", "-p", "--http",
            "--http-port", "--http", "--https-port", "--https", "--ssl-port", "--https", "--tls-port", "--https");
    /** Flags of other servers and tools that are another name of one of ours. */
    private static final Map<String, String> SYNONYMS = Map.ofEntries(Map.entry("--docroot", "--root"),
            Map.entry("--document-root", "--root"), Map.entry("--www", "--root"), Map.entry("--dir", "--root"),
            Map.entry("--certificate", "--cert"), Map.entry("--cert-file", "--cert"),
            Map.entry("--ssl-cert", "--cert"), Map.entry("--tls-cert", "--cert"), Map.entry("--key-file", "--key"),
            Map.entry("--ssl-key", "--key"), Map.entry("--tls-key", "--key"), Map.entry("--ssl", "--https"),
            Map.entry("--tls", "--https"), Map.entry("--no-tls", "--no-https"), Map.entry("--no-ssl", "--no-https"));

    private UsageHints() {
    }

    /** The one line that says what is wrong. */
    static String problem(CommandLine.ParameterException ex) {
        if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String first = u.getUnmatched().get(0);
            if (first.startsWith("-")) {
                return "unknown option '" + optionName(first) + "'";
            }
            return ex.getCommandLine().getSubcommands().isEmpty() ? "unexpected argument '" + first + "'"
                    : "unknown command '" + first + "'";
        }
        String m = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
        return m.lines().findFirst().orElse(m);
    }

    /** "Did you mean ...?" when there is a plausible answer. */
    static Optional<String> suggestion(CommandLine.ParameterException ex) {
        if (!(ex instanceof CommandLine.UnmatchedArgumentException u) || u.getUnmatched().isEmpty()) {
            return Optional.empty();
        }
        CommandSpec spec = ex.getCommandLine().getCommandSpec();
        String first = u.getUnmatched().get(0);
        String typed = optionName(first);
        String mapped = PORT_FLAGS.get(typed);
        if (mapped != null && spec.findOption(mapped) != null) {
            String port = valueOf(first, u.getUnmatched());
            return Optional.of("Did you mean " + mapped + " :" + (port != null ? port : "PORT") + "?");
        }
        mapped = SYNONYMS.get(typed);
        if (mapped != null && spec.findOption(mapped) != null) {
            return Optional.of("Did you mean " + mapped + "?");
        }
        boolean option = typed.startsWith("-");
        List<String> names = new ArrayList<>(option ? spec.optionsMap().keySet() : spec.subcommands().keySet());
        int best = names.stream().mapToInt(n -> distance(typed, n)).min().orElse(Integer.MAX_VALUE);
        List<String> close = names.stream().filter(n -> distance(typed, n) == best && isClose(typed, n)).limit(3)
                .map(n -> option ? n : "'" + spec.qualifiedName() + " " + n + "'").toList();
        return close.isEmpty() ? Optional.empty() : Optional.of("Did you mean " + String.join(" or ", close) + "?");
    }

    private static String optionName(String arg) {
        int eq = arg.indexOf('=');
        return eq > 0 ? arg.substring(0, eq) : arg;
    }

    /** The value given with an unknown option, {@code --port=8181} or {@code --port 8181}, if it is a number. */
    private static String valueOf(String first, List<String> unmatched) {
        int eq = first.indexOf('=');
        String v = eq > 0 ? first.substring(eq + 1) : unmatched.size() > 1 ? unmatched.get(1) : null;
        return v != null && v.matches("\\d{1,5}") ? v : null;
    }

    /** Within one edit (a letter wrong, missing, extra, or two swapped) per four letters, at most three. */
    static boolean isClose(String typed, String candidate) {
        int longer = Math.max(strip(typed).length(), strip(candidate).length());
        if (Math.min(strip(typed).length(), strip(candidate).length()) < 3) {
            return false; // -x is one edit from every other short option: no guess is plausible
        }
        return distance(typed, candidate) <= Math.max(1, Math.min(3, longer / 4));
    }

    private static int distance(String typed, String candidate) {
        return editDistance(strip(typed), strip(candidate));
    }

    private static String strip(String s) {
        return s.replaceFirst("^-+", "").toLowerCase(java.util.Locale.ROOT);
    }

    /** Optimal string alignment distance: Levenshtein plus a swap of two neighbours as one edit. */
    static int editDistance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
