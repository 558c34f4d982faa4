package org.liso.http;

import java.nio.charset.StandardCharsets;

/**
 * Field names and methods that arrive on nearly every request, returned as shared constants when the received bytes
 * match exactly (names keep their received case, so "host" and "Host" are different entries). Anything else becomes a
 * new String.
 */
final class KnownNames {
    static final String[] METHODS = {"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"};

    static final String[] FIELDS = {
        "Host", "host", "Connection", "connection", "User-Agent", "user-agent", "Accept", "accept",
        "Accept-Encoding", "accept-encoding", "Accept-Language", "accept-language", "Content-Length", "content-length",
        "Content-Type", "content-type", "Transfer-Encoding", "transfer-encoding", "Cookie", "cookie", "Referer",
        "referer", "Range", "range", "If-Modified-Since", "if-modified-since", "If-None-Match", "if-none-match",
        "If-Range", "if-range", "Cache-Control", "cache-control", "Pragma", "Upgrade-Insecure-Requests",
        "Authorization", "authorization", "Origin", "origin", "Sec-Fetch-Site", "Sec-Fetch-Mode", "Sec-Fetch-Dest",
        "Sec-Fetch-User", "Upgrade", "TE", "Expect", "expect", "Keep-Alive", "X-Forwarded-For", "DNT", "Priority",
    };

    /** Values common enough to share: Connection tokens and the loopback Host values of tests and benchmarks. */
    static final String[] VALUES = {
        "close", "keep-alive", "Keep-Alive", "chunked", "localhost", "127.0.0.1", "*/*", "gzip", "gzip, deflate",
        "gzip, deflate, br", "100-continue", "no-cache", "1",
    };

    private static final Table METHOD_TABLE = new Table(METHODS);
    private static final Table FIELD_TABLE = new Table(FIELDS);
    private static final Table VALUE_TABLE = new Table(VALUES);

    private KnownNames() {
    }

    static String method(byte[] b, int off, int len) {
        return METHOD_TABLE.lookup(b, off, len);
    }

    static String field(byte[] b, int off, int len) {
        return FIELD_TABLE.lookup(b, off, len);
    }

    static String value(byte[] b, int off, int len) {
        return VALUE_TABLE.lookup(b, off, len);
    }

    /** Candidates bucketed by length, so a miss costs at most a few byte comparisons. */
    private static final class Table {
        private static final int MAX = 32;
        private final byte[][][] bytes = new byte[MAX + 1][][];
        private final String[][] strings = new String[MAX + 1][];

        Table(String[] entries) {
            for (String s : entries) {
                int n = s.length();
                byte[][] bs = bytes[n] == null ? new byte[0][] : bytes[n];
                String[] ss = strings[n] == null ? new String[0] : strings[n];
                bs = java.util.Arrays.copyOf(bs, bs.length + 1);
                ss = java.util.Arrays.copyOf(ss, ss.length + 1);
                bs[bs.length - 1] = s.getBytes(StandardCharsets.ISO_8859_1);
                ss[ss.length - 1] = s;
                bytes[n] = bs;
                strings[n] = ss;
            }
        }

        String lookup(byte[] b, int off, int len) {
            if (len <= MAX) {
                byte[][] candidates = bytes[len];
                if (candidates != null) {
                    for (int c = 0; c < candidates.length; c++) {
                        if (java.util.Arrays.equals(candidates[c], 0, len, b, off, off + len)) {
                            return strings[len][c];
                        }
                    }
                }
            }
            return new String(b, off, len, StandardCharsets.ISO_8859_1);
        }
    }
}
