package org.liso.http;

import java.io.ByteArrayOutputStream;

/**
 * Decodes the request notation of the corpus files: {@code \r \n \t \\ \xHH}, and {@code {rep:TEXT:N}} for TEXT
 * (itself escaped) repeated N times.
 */
final class Escapes {
    private Escapes() {
    }

    static byte[] decode(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < s.length()) {
            if (s.startsWith("{rep:", i)) {
                int close = s.indexOf('}', i);
                String body = s.substring(i + 5, close);
                int colon = body.lastIndexOf(':');
                byte[] unit = decode(body.substring(0, colon));
                int times = Integer.parseInt(body.substring(colon + 1));
                for (int k = 0; k < times; k++) {
                    out.writeBytes(unit);
                }
                i = close + 1;
                continue;
            }
            char c = s.charAt(i);
            if (c != '\\') {
                if (c > 0xff) {
                    throw new IllegalArgumentException("non-Latin-1 char in corpus: " + s);
                }
                out.write(c);
                i++;
                continue;
            }
            char e = s.charAt(i + 1);
            switch (e) {
                case 'r': out.write('\r'); i += 2; break;
                case 'n': out.write('\n'); i += 2; break;
                case 't': out.write('\t'); i += 2; break;
                case '\\': out.write('\\'); i += 2; break;
                case 'x': out.write(Integer.parseInt(s.substring(i + 2, i + 4), 16)); i += 4; break;
                default: throw new IllegalArgumentException("bad escape \\" + e + " in " + s);
            }
        }
        return out.toByteArray();
    }
}
