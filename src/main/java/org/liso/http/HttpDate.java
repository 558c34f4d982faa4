package org.liso.http;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/** Interim version; the full codec lands from the http branch. */
public final class HttpDate {
    private HttpDate() {
    }

    public static String format(long epochMillis) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.ofInstant(Instant.ofEpochMilli(epochMillis),
                ZoneOffset.UTC));
    }

    public static long parse(String text) {
        try {
            return ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    public static String now() {
        return format(System.currentTimeMillis());
    }
}
