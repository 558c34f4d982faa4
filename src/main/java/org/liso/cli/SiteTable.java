package org.liso.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The virtual hosts of {@code --site NAME=DIR}: a document root per host name, looked up as a request's Host (or
 * HTTP/2 {@code :authority}) names it, without its port. A name is exact ({@code example.org}), a pattern for every
 * subdomain ({@code *.example.org}), or {@code *}: the default site, for every host no other name has. Without a
 * default site an unknown host gets 421 Misdirected Request (RFC 9110 §15.5.20), so that a name pointed at this
 * server by mistake is refused rather than served another site's files.
 *
 * @param roots by normalized name, in the order given
 */
record SiteTable(Map<String, Path> roots) {
    static final String DEFAULT = "*";
    /** RFC 1123 host names and IPv4 literals (letters, digits, hyphens, dots), or a bracketed IPv6 literal. */
    private static final Pattern NAME = Pattern.compile("(\\*\\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?"
            + "(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*|\\[[0-9a-f:.]+]|\\*");

    SiteTable {
        roots = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(roots));
    }

    /**
     * Reads {@code --site} values; with {@code --root} as the default site when no {@code *} is given.
     *
     * @throws CliFailure usage (2) for a malformed value or a name given twice, config (78) for a root that is not a
     *         readable directory
     */
    static SiteTable parse(List<String> sites, Path root) {
        Map<String, Path> roots = new LinkedHashMap<>();
        for (String s : sites) {
            int eq = s.indexOf('=');
            if (eq <= 0 || eq == s.length() - 1) {
                throw new CliFailure(ExitCodes.USAGE, "--site wants NAME=DIR, got '" + s + "'");
            }
            String name = normalize(s.substring(0, eq));
            if (!NAME.matcher(name).matches() || name.equals(DEFAULT) && !s.substring(0, eq).trim().equals(DEFAULT)) {
                throw new CliFailure(ExitCodes.USAGE, "--site name '" + s.substring(0, eq) + "' is not a host name,"
                        + " *.domain or *");
            }
            Path dir = Path.of(s.substring(eq + 1));
            if (roots.put(name, dir) != null) {
                throw new CliFailure(ExitCodes.USAGE, "--site " + name + " is given twice");
            }
        }
        if (root != null && roots.containsKey(DEFAULT)) {
            throw new CliFailure(ExitCodes.USAGE, "--root and --site '*=DIR' both name the default site: give one");
        }
        if (root != null && !roots.isEmpty()) {
            roots.put(DEFAULT, root);
        }
        roots.forEach((name, dir) -> {
            if (!Files.isDirectory(dir) || !Files.isReadable(dir)) {
                throw new CliFailure(ExitCodes.CONFIG, "--site " + name + ": " + dir + " is not a readable directory");
            }
        });
        return new SiteTable(roots);
    }

    /** Lower case, without one trailing dot: {@code Example.ORG.} and {@code example.org} are one host (RFC 1034 §3.1). */
    static String normalize(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        return n.endsWith(".") && n.length() > 1 ? n.substring(0, n.length() - 1) : n;
    }

    /**
     * The host of a Host field or authority ({@code example.org:8443}, {@code [::1]:8080}), normalized; "" for none.
     */
    static String hostOf(String authority) {
        if (authority == null) {
            return "";
        }
        String a = authority.trim();
        int at = a.lastIndexOf('@'); // userinfo is deprecated (RFC 9110 §4.2.4) but still parsed past
        if (at >= 0) {
            a = a.substring(at + 1);
        }
        if (a.startsWith("[")) {
            int close = a.indexOf(']');
            return close < 0 ? "" : a.substring(0, close + 1).toLowerCase(Locale.ROOT);
        }
        int colon = a.indexOf(':');
        return normalize(colon < 0 ? a : a.substring(0, colon));
    }

    /**
     * The name of the site that serves {@code host}: exact, then {@code *.parent} from the nearest parent out, then
     * {@code *}; null when none does (421).
     */
    String siteFor(String host) {
        if (roots.containsKey(host) && !host.equals(DEFAULT)) {
            return host;
        }
        for (int dot = host.indexOf('.'); dot >= 0; dot = host.indexOf('.', dot + 1)) {
            String pattern = "*" + host.substring(dot);
            if (roots.containsKey(pattern)) {
                return pattern;
            }
        }
        return roots.containsKey(DEFAULT) ? DEFAULT : null;
    }

    boolean isEmpty() {
        return roots.isEmpty();
    }

    /** The default site's root, or null when an unknown host gets 421. */
    Path fallback() {
        return roots.get(DEFAULT);
    }
}
