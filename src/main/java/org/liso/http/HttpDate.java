package org.liso.http;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * HTTP-date, RFC 9110 §5.6.7: IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT") is generated; the obsolete RFC 850
 * ("Sunday, 06-Nov-94 08:49:37 GMT") and asctime ("Sun Nov  6 08:49:37 1994") forms are also accepted. Dates are
 * case-sensitive. Hand-written both ways: this runs for every response's Date and every conditional request.
 */
public final class HttpDate {
    private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    private static final String[] LONG_DAYS = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
        "Sunday"};
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
        "Nov", "Dec"};

    private static volatile Cached cached;

    private HttpDate() {
    }

    private static final class Cached {
        final long second;
        final String text;

        Cached(long second, String text) {
            this.second = second;
            this.text = text;
        }
    }

    /** IMF-fixdate of the instant, truncated to the second; years 0..9999 only. */
    public static String format(long epochMillis) {
        long seconds = Math.floorDiv(epochMillis, 1000L);
        long day = Math.floorDiv(seconds, 86400L);
        int secOfDay = (int) Math.floorMod(seconds, 86400L);
        LocalDate date = LocalDate.ofEpochDay(day);
        if (date.getYear() < 0 || date.getYear() > 9999) {
            throw new IllegalArgumentException("year outside 0..9999: " + date.getYear());
        }
        char[] c = new char[29];
        copy(DAYS[date.getDayOfWeek().getValue() - 1], c, 0);
        c[3] = ',';
        c[4] = ' ';
        two(date.getDayOfMonth(), c, 5);
        c[7] = ' ';
        copy(MONTHS[date.getMonthValue() - 1], c, 8);
        c[11] = ' ';
        two(date.getYear() / 100, c, 12);
        two(date.getYear() % 100, c, 14);
        c[16] = ' ';
        two(secOfDay / 3600, c, 17);
        c[19] = ':';
        two(secOfDay / 60 % 60, c, 20);
        c[22] = ':';
        two(secOfDay % 60, c, 23);
        copy(" GMT", c, 25);
        return new String(c);
    }

    /** The current date for the Date header, recomputed at most once per second. */
    public static String now() {
        long second = System.currentTimeMillis() / 1000L;
        Cached c = cached;
        if (c == null || c.second != second) {
            c = new Cached(second, format(second * 1000L));
            cached = c;
        }
        return c.text;
    }

    /** Epoch milliseconds of an HTTP-date in any of the three forms, or -1 when it is not one. */
    public static long parse(String text) {
        if (text == null) {
            return -1;
        }
        int n = text.length();
        if (n == 29 && text.charAt(3) == ',') {
            return imfFixdate(text);
        }
        if (n == 24 && text.charAt(3) == ' ') {
            return asctime(text);
        }
        int comma = text.indexOf(',');
        if (comma >= 6 && comma <= 9 && n == comma + 24) {
            return rfc850(text, comma);
        }
        return -1;
    }

    /** "Sun, 06 Nov 1994 08:49:37 GMT" */
    private static long imfFixdate(String t) {
        if (index(DAYS, t, 0) < 0 || t.charAt(4) != ' ' || t.charAt(7) != ' ' || t.charAt(11) != ' '
                || !t.startsWith(" GMT", 25)) {
            return -1;
        }
        int year = num(t, 12, 4);
        return epoch(year, index(MONTHS, t, 8), num(t, 5, 2), t, 16);
    }

    /** "Sunday, 06-Nov-94 08:49:37 GMT": a two-digit year more than 50 years ahead is in the past century. */
    private static long rfc850(String t, int comma) {
        String day = t.substring(0, comma);
        boolean known = false;
        for (String d : LONG_DAYS) {
            known |= d.equals(day);
        }
        int p = comma + 1;
        if (!known || t.charAt(p) != ' ' || t.charAt(p + 3) != '-' || t.charAt(p + 7) != '-'
                || !t.startsWith(" GMT", p + 19)) {
            return -1;
        }
        int yy = num(t, p + 8, 2);
        if (yy < 0) {
            return -1;
        }
        int thisYear = LocalDate.now(ZoneOffset.UTC).getYear();
        int year = thisYear / 100 * 100 + yy;
        if (year > thisYear + 50) {
            year -= 100;
        }
        return epoch(year, index(MONTHS, t, p + 4), num(t, p + 1, 2), t, p + 10);
    }

    /** "Sun Nov  6 08:49:37 1994" */
    private static long asctime(String t) {
        if (index(DAYS, t, 0) < 0 || t.charAt(7) != ' ' || t.charAt(10) != ' ' || t.charAt(19) != ' ') {
            return -1;
        }
        int dayOfMonth = t.charAt(8) == ' ' ? num(t, 9, 1) : num(t, 8, 2);
        return epoch(num(t, 20, 4), index(MONTHS, t, 4), dayOfMonth, t, 10);
    }

    /** Combines a date with the " HH:MM:SS" at {@code time}; -1 when any part is out of range. */
    private static long epoch(int year, int month, int day, String t, int time) {
        if (t.charAt(time) != ' ' || t.charAt(time + 3) != ':' || t.charAt(time + 6) != ':') {
            return -1;
        }
        int h = num(t, time + 1, 2);
        int m = num(t, time + 4, 2);
        int s = num(t, time + 7, 2);
        if (year < 0 || month < 0 || day < 1 || h < 0 || h > 23 || m < 0 || m > 59 || s < 0 || s > 60) {
            return -1;
        }
        try {
            long days = LocalDate.of(year, month + 1, day).toEpochDay();
            return (days * 86400L + h * 3600L + m * 60L + s) * 1000L;
        } catch (DateTimeException e) {
            return -1;
        }
    }

    private static int index(String[] names, String t, int at) {
        for (int i = 0; i < names.length; i++) {
            if (t.startsWith(names[i], at)) {
                return i;
            }
        }
        return -1;
    }

    private static int num(String t, int at, int digits) {
        int v = 0;
        for (int i = at; i < at + digits; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static void copy(String s, char[] c, int at) {
        s.getChars(0, s.length(), c, at);
    }

    private static void two(int v, char[] c, int at) {
        c[at] = (char) ('0' + v / 10);
        c[at + 1] = (char) ('0' + v % 10);
    }
}
