package org.liso.files;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.liso.http.HttpDate;

/**
 * The operator's caching fields by file pattern ({@code --cache-control '*.css=max-age=31536000, immutable'},
 * {@code --expires '*.png=30d'}, or {@code --expires 1h} for every file): the first rule whose pattern matches a
 * served file gives its Cache-Control (RFC 9111 §5.2.2) and, for an expiry, Expires (§5.3) as well. They go on 200,
 * 206 and 304 alike, since a 304 must carry the Cache-Control and Expires a 200 would (RFC 9110 §15.4.5).
 *
 * <p>A pattern without a slash matches the file's name ({@code *.css}); one with a slash matches its path from the
 * root ({@code /assets/*}, where {@code *} crosses slashes too). {@code *} is any run of characters, {@code ?} any one;
 * names compare without regard to case, as the Content-Type table does.
 */
public final class CacheRules {
    public static final CacheRules NONE = new CacheRules(List.of());

    /** One pattern and the fields it gives. */
    static final class Rule {
        final String pattern;
        final String cacheControl;
        /** Seconds from now for Expires, or -1 for no Expires field. */
        final long expiresSeconds;
        private volatile Stamp stamp;

        Rule(String pattern, String cacheControl, long expiresSeconds) {
            this.pattern = pattern;
            this.cacheControl = cacheControl;
            this.expiresSeconds = expiresSeconds;
        }

        /** The Expires value for a response sent now, formatted at most once a second. */
        String expires() {
            long second = System.currentTimeMillis() / 1000L;
            Stamp s = stamp;
            if (s == null || s.second != second) {
                s = new Stamp(second, HttpDate.format((second + expiresSeconds) * 1000L));
                stamp = s;
            }
            return s.text;
        }

        boolean matches(String path, String name) {
            return pattern.indexOf('/') >= 0 ? Glob.matches(pattern, path) : Glob.matches(pattern, name);
        }
    }

    private record Stamp(long second, String text) {
    }

    private final List<Rule> rules;

    private CacheRules(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /**
     * The rules from {@code --cache-control PATTERN=VALUE} values, then {@code --expires [PATTERN=]SECONDS} ones (an
     * expiry without a pattern applies to every file); earlier rules win.
     *
     * @throws IllegalArgumentException naming the value that is not of that form
     */
    public static CacheRules of(List<String> cacheControl, List<Expiry> expires) {
        List<Rule> all = new ArrayList<>();
        for (String spec : cacheControl) {
            int eq = spec.indexOf('=');
            if (eq <= 0 || eq == spec.length() - 1) {
                throw new IllegalArgumentException("--cache-control wants PATTERN=VALUE, e.g. '*.css=max-age=3600',"
                        + " got '" + spec + "'");
            }
            String value = spec.substring(eq + 1).trim();
            if (value.chars().anyMatch(c -> c < ' ' && c != '\t' || c == 127 || c > 255)) {
                throw new IllegalArgumentException("--cache-control value has a control character: '" + spec + "'");
            }
            all.add(new Rule(pattern(spec.substring(0, eq)), value, -1));
        }
        for (Expiry e : expires) {
            if (e.seconds() < 0) {
                throw new IllegalArgumentException("--expires must not be negative: " + e.seconds());
            }
            all.add(new Rule(e.pattern() == null ? "*" : pattern(e.pattern()), "max-age=" + e.seconds(),
                    e.seconds()));
        }
        return new CacheRules(all);
    }

    /** An {@code --expires} value: a pattern (null for every file) and a lifetime in seconds. */
    public record Expiry(String pattern, long seconds) {
    }

    boolean isEmpty() {
        return rules.isEmpty();
    }

    /** The first rule for the file at {@code path} (from the root, starting with a slash), or null. */
    Rule match(String path) {
        if (rules.isEmpty()) {
            return null;
        }
        String lower = path.toLowerCase(Locale.ROOT);
        String name = lower.substring(lower.lastIndexOf('/') + 1);
        for (Rule r : rules) {
            if (r.matches(lower, name)) {
                return r;
            }
        }
        return null;
    }

    private static String pattern(String raw) {
        String p = raw.trim().toLowerCase(Locale.ROOT);
        if (p.isEmpty()) {
            throw new IllegalArgumentException("an empty cache pattern matches nothing");
        }
        return p;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("CacheRules[");
        for (Rule r : rules) {
            sb.append(r.pattern).append('=').append(r.cacheControl).append(r.expiresSeconds >= 0 ? " +Expires" : "")
                    .append("; ");
        }
        return sb.append(']').toString();
    }
}
