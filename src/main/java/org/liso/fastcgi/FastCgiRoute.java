package org.liso.fastcgi;

/**
 * Which requests one FastCGI application answers, from {@code --fastcgi PATTERN=ADDRESS}. Two kinds of pattern:
 * {@code *.php} (a file type, as nginx's {@code location ~ \.php$} with {@code fastcgi_split_path_info}: the script is
 * the path up to the first segment with that ending, the rest is PATH_INFO, and the script must exist under the
 * root) and {@code /app} (a prefix, for an application server: SCRIPT_NAME is the prefix, PATH_INFO what follows).
 */
public record FastCgiRoute(String pattern, BackendAddress backend) {

    /** How a path divides into the script and the rest (RFC 3875 §4.1.13, §4.1.5). */
    record Split(String scriptName, String pathInfo, boolean scriptIsFile) {
    }

    public FastCgiRoute {
        boolean suffix = pattern.startsWith("*.") && pattern.length() > 2 && pattern.indexOf('/') < 0
                && pattern.indexOf('*', 1) < 0;
        boolean prefix = pattern.startsWith("/") && pattern.indexOf('*') < 0;
        if (!suffix && !prefix) {
            throw new IllegalArgumentException("FastCGI pattern " + pattern
                    + " is neither *.EXT (e.g. *.php) nor a path prefix (e.g. /app)");
        }
    }

    /** @throws IllegalArgumentException for a malformed {@code PATTERN=ADDRESS} */
    public static FastCgiRoute parse(String spec) {
        int eq = spec.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("--fastcgi wants PATTERN=ADDRESS (e.g. '*.php=unix:/run/php/fpm.sock'),"
                    + " not " + spec);
        }
        return new FastCgiRoute(spec.substring(0, eq), BackendAddress.parse(spec.substring(eq + 1)));
    }

    /** How {@code path} (decoded) divides, or null when this route does not take it. */
    Split split(String path) {
        if (pattern.startsWith("*")) {
            String ending = pattern.substring(1);
            for (int end = path.indexOf('/', 1); ; end = path.indexOf('/', end + 1)) {
                int e = end < 0 ? path.length() : end;
                int start = path.lastIndexOf('/', e - 1) + 1;
                if (e - start > ending.length() && path.startsWith(ending, e - ending.length())) {
                    return new Split(path.substring(0, e), path.substring(e), true);
                }
                if (end < 0) {
                    return null;
                }
            }
        }
        String prefix = pattern.endsWith("/") ? pattern.substring(0, pattern.length() - 1) : pattern;
        if (path.equals(prefix) || path.startsWith(prefix + "/")) {
            return new Split(prefix, path.substring(prefix.length()), false);
        }
        return null;
    }
}
