package org.liso.diag;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** uid → user name from an /etc/passwd-format file; the number itself when the file does not name it. */
public final class UserNames {
    private final Map<Integer, String> names = new HashMap<>();

    private UserNames() {
    }

    public static UserNames load(Path passwd) {
        UserNames u = new UserNames();
        try {
            for (String line : Files.readAllLines(passwd)) {
                String[] f = line.split(":");
                if (f.length > 2) {
                    try {
                        u.names.putIfAbsent(Integer.parseInt(f[2]), f[0]);
                    } catch (NumberFormatException ignored) {
                        // a malformed line names nobody
                    }
                }
            }
        } catch (IOException e) {
            // no passwd file: numbers it is
        }
        return u;
    }

    public String name(int uid) {
        return names.getOrDefault(uid, Integer.toString(uid));
    }
}
