package org.liso.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One conformance case in the vectors' format (id, expect, after, responses, request, why), as described in
 * ../shared/vectors/README.md and used by the project's own corpus in src/test/resources/server/.
 */
public record Vector(String id, Set<Integer> expect, boolean noResponseOk, String after, int responses,
        byte[] request, String why) {

    public static List<Vector> load(Path file) throws IOException {
        List<Vector> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t", -1);
            if (f.length < 5) {
                throw new IOException("bad vector line in " + file + ": " + line);
            }
            Set<Integer> expect = new TreeSet<>();
            boolean none = false;
            for (String s : f[1].split(",")) {
                if (s.trim().equals("-")) {
                    none = true;
                } else {
                    expect.add(Integer.parseInt(s.trim()));
                }
            }
            out.add(new Vector(f[0], expect, none, f[2], Integer.parseInt(f[3]), unescape(f[4]),
                    f.length > 5 ? f[5] : ""));
        }
        return out;
    }

    /** {@code \r \n \t \\ \xHH} and {@code {rep:TEXT:N}}. */
    static byte[] unescape(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < s.length()) {
            if (s.startsWith("{rep:", i)) {
                int end = s.indexOf('}', i);
                String body = s.substring(i + 5, end);
                int colon = body.lastIndexOf(':');
                byte[] unit = unescape(body.substring(0, colon));
                int n = Integer.parseInt(body.substring(colon + 1));
                for (int k = 0; k < n; k++) {
                    out.writeBytes(unit);
                }
                i = end + 1;
                continue;
            }
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char e = s.charAt(i + 1);
                switch (e) {
                    case 'r' -> out.write('\r');
                    case 'n' -> out.write('\n');
                    case 't' -> out.write('\t');
                    case '\\' -> out.write('\\');
                    case 'x' -> {
                        out.write(Integer.parseInt(s.substring(i + 2, i + 4), 16));
                        i += 2;
                    }
                    default -> {
                        out.write('\\');
                        out.write(e);
                    }
                }
                i += 2;
                continue;
            }
            out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            i++;
        }
        return out.toByteArray();
    }

    @Override
    public String toString() {
        return id + " expect=" + expect + " after=" + after + " responses=" + responses + " (" + why + ") request="
                + Arrays.toString(Arrays.copyOf(request, Math.min(40, request.length)));
    }
}
