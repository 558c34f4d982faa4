package org.liso.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class HttpDateTest {
    private static final long RFC_EXAMPLE = 784111777000L; // Sun, 06 Nov 1994 08:49:37 GMT (RFC 9110 §5.6.7)

    @Test
    void formatsImfFixdate() {
        assertThat(HttpDate.format(RFC_EXAMPLE)).isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
        assertThat(HttpDate.format(RFC_EXAMPLE + 999)).isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
        assertThat(HttpDate.format(0)).isEqualTo("Thu, 01 Jan 1970 00:00:00 GMT");
        assertThat(HttpDate.format(951782400000L)).isEqualTo("Tue, 29 Feb 2000 00:00:00 GMT");
        assertThat(HttpDate.format(253402300799000L)).isEqualTo("Fri, 31 Dec 9999 23:59:59 GMT");
    }

    @Test
    void parsesAllThreeForms() {
        assertThat(HttpDate.parse("Sun, 06 Nov 1994 08:49:37 GMT")).isEqualTo(RFC_EXAMPLE);
        assertThat(HttpDate.parse("Sunday, 06-Nov-94 08:49:37 GMT")).isEqualTo(RFC_EXAMPLE);
        assertThat(HttpDate.parse("Sun Nov  6 08:49:37 1994")).isEqualTo(RFC_EXAMPLE);
        assertThat(HttpDate.parse("Sun Nov 06 08:49:37 1994")).isEqualTo(RFC_EXAMPLE);
        assertThat(HttpDate.parse("Wednesday, 09-Nov-94 08:49:37 GMT")).isEqualTo(RFC_EXAMPLE + 3 * 86400_000L);
    }

    @Test
    void twoDigitYearsMoreThanFiftyYearsAheadAreInThePast() {
        int year = LocalDate.now(ZoneOffset.UTC).getYear();
        int near = (year + 10) % 100;
        int far = (year + 60) % 100;
        long nearDate = HttpDate.parse(String.format("Monday, 01-Jan-%02d 00:00:00 GMT", near));
        long farDate = HttpDate.parse(String.format("Monday, 01-Jan-%02d 00:00:00 GMT", far));
        assertThat(LocalDate.ofEpochDay(nearDate / 86400_000L).getYear()).isEqualTo(year + 10);
        assertThat(LocalDate.ofEpochDay(farDate / 86400_000L).getYear()).isEqualTo(year + 60 - 100);
    }

    @Test
    void roundTripsAcrossCenturies() {
        for (long t = -2208988800000L; t < 4102444800000L; t += 86400_000L * 37 + 3_723_000L) {
            assertThat(HttpDate.parse(HttpDate.format(t))).isEqualTo(t);
        }
    }

    @Test
    void rejectsInvalidDates() {
        String[] bad = {"", "Sun, 06 Nov 1994 08:49:37 UTC", "sun, 06 Nov 1994 08:49:37 GMT",
            "Sun, 06 nov 1994 08:49:37 GMT", "Sun, 31 Feb 1994 08:49:37 GMT", "Sun, 06 Nov 1994 24:00:00 GMT",
            "Sun, 06 Nov 1994 08:60:00 GMT", "Sun, 6 Nov 1994 08:49:37 GMT ", "Sun, 06 Nov 94 08:49:37 GMT",
            "Sun 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-1994 08:49:37 GMT", "Sundae, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 94", "Sun Nov 6 08:49:37 1994", "Sun, 06 Nov 1994 08:49:3x GMT",
            "Xyz, 06 Nov 1994 08:49:37 GMT", "Sun,\t06 Nov 1994 08:49:37 GMT"};
        for (String b : bad) {
            assertThat(HttpDate.parse(b)).as(b).isEqualTo(-1);
        }
        assertThat(HttpDate.parse(null)).isEqualTo(-1);
    }

    @Test
    void nowIsCurrentAndParsable() {
        long before = System.currentTimeMillis() / 1000 * 1000;
        long parsed = HttpDate.parse(HttpDate.now());
        long after = System.currentTimeMillis();
        assertThat(parsed).isBetween(before, after);
    }
}
