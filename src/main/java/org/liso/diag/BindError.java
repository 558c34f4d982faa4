package org.liso.diag;

import java.io.IOException;
import java.util.Locale;

/**
 * The errno behind a failed bind, recovered from the JDK's message (the JDK keeps only the strerror text; they are
 * the glibc strings, stable across releases).
 */
public enum BindError {
    EADDRINUSE("address already in use"),
    EACCES("permission denied"),
    EADDRNOTAVAIL("cannot assign requested address"),
    EMFILE("too many open files"),
    EINVAL("invalid argument"),
    OTHER("");

    private final String strerror;

    BindError(String strerror) {
        this.strerror = strerror;
    }

    public static BindError of(IOException failure) {
        String m = String.valueOf(failure.getMessage()).toLowerCase(Locale.ROOT);
        for (BindError e : values()) {
            if (e != OTHER && m.contains(e.strerror)) {
                return e;
            }
        }
        if (m.contains("access denied")) {
            return EACCES;
        }
        return OTHER;
    }
}
