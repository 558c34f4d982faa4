package org.liso.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.liso.http.AcceptEncoding.IDENTITY;
import static org.liso.http.AcceptEncoding.NONE;

import org.junit.jupiter.api.Test;

class AcceptEncodingTest {
    private static final int ALL = ContentCoding.BR.bit | ContentCoding.ZSTD.bit | ContentCoding.GZIP.bit;
    private static final int GZ = ContentCoding.GZIP.bit;
    private static final int BR = ContentCoding.BR.ordinal();
    private static final int ZSTD = ContentCoding.ZSTD.ordinal();
    private static final int GZIP = ContentCoding.GZIP.ordinal();

    @Test
    void noFieldMeansIdentity() {
        assertThat(AcceptEncoding.choose(null, ALL)).isEqualTo(IDENTITY);
    }

    @Test
    void anEmptyFieldWantsNoCoding() {
        assertThat(AcceptEncoding.choose("", ALL)).isEqualTo(IDENTITY); // RFC 9110 §12.5.3
    }

    @Test
    void browsersGetTheServersPreferenceAmongEqualQ() {
        assertThat(AcceptEncoding.choose("gzip, deflate, br, zstd", ALL)).isEqualTo(BR);
        assertThat(AcceptEncoding.choose("gzip, deflate, br, zstd", GZ)).isEqualTo(GZIP);
        assertThat(AcceptEncoding.choose("gzip, deflate, zstd", ALL)).isEqualTo(ZSTD);
        assertThat(AcceptEncoding.choose("deflate", ALL)).isEqualTo(IDENTITY);
    }

    @Test
    void qValuesAreHonoured() {
        assertThat(AcceptEncoding.choose("br;q=0.5, gzip;q=0.9", ALL)).isEqualTo(GZIP);
        assertThat(AcceptEncoding.choose("br;q=0, gzip", ALL)).isEqualTo(GZIP);
        assertThat(AcceptEncoding.choose("br;q=0, gzip;q=0", ALL)).isEqualTo(IDENTITY);
        assertThat(AcceptEncoding.choose("gzip;Q=0.001", GZ)).isEqualTo(GZIP);
        assertThat(AcceptEncoding.choose("gzip ; q=0.8 , br;q=0.81", ALL)).isEqualTo(BR);
        assertThat(AcceptEncoding.choose("GZIP", GZ)).isEqualTo(GZIP);
        assertThat(AcceptEncoding.choose("x-gzip", GZ)).isEqualTo(GZIP);
    }

    @Test
    void aMalformedQValueCountsAsZeroNotOne() {
        assertThat(AcceptEncoding.choose("gzip;q=2", GZ)).isEqualTo(IDENTITY);
        assertThat(AcceptEncoding.choose("gzip;q=abc", GZ)).isEqualTo(IDENTITY);
        assertThat(AcceptEncoding.choose("gzip;q=0.0001", GZ)).isEqualTo(IDENTITY);
        assertThat(AcceptEncoding.choose("gzip;q=", GZ)).isEqualTo(IDENTITY);
        assertThat(AcceptEncoding.choose("gzip;q=1.000", GZ)).isEqualTo(GZIP);
        assertThat(AcceptEncoding.choose("gzip;q=0.", GZ)).isEqualTo(IDENTITY);
    }

    @Test
    void theWildcardCoversWhatIsNotNamed() {
        assertThat(AcceptEncoding.choose("*", GZ)).isEqualTo(GZIP);
        assertThat(AcceptEncoding.choose("*;q=0.5, gzip;q=0", ALL)).isEqualTo(BR);
        assertThat(AcceptEncoding.choose("gzip;q=0, *", GZ)).isEqualTo(IDENTITY);
    }

    @Test
    void identityCanBeExcluded() {
        assertThat(AcceptEncoding.choose("identity;q=0", 0)).isEqualTo(NONE);
        assertThat(AcceptEncoding.choose("identity;q=0", GZ)).isEqualTo(NONE);
        assertThat(AcceptEncoding.choose("gzip, identity;q=0", GZ)).isEqualTo(GZIP);
        assertThat(AcceptEncoding.choose("*;q=0", GZ)).isEqualTo(NONE);
        assertThat(AcceptEncoding.choose("*;q=0, identity", GZ)).isEqualTo(IDENTITY);
        assertThat(AcceptEncoding.choose("br, *;q=0", GZ)).isEqualTo(NONE);
        assertThat(AcceptEncoding.identityAcceptable("gzip, identity;q=0")).isFalse();
        assertThat(AcceptEncoding.identityAcceptable("gzip")).isTrue();
    }

    @Test
    void aClientPreferringIdentityGetsIt() {
        assertThat(AcceptEncoding.choose("gzip;q=0.5, identity", GZ)).isEqualTo(IDENTITY);
        assertThat(AcceptEncoding.choose("gzip, identity;q=0.5", GZ)).isEqualTo(GZIP);
    }

    @Test
    void junkNeitherThrowsNorMatches() {
        for (String junk : new String[] {",,,", ";", ";q=1", "gzip;;;", "=", "gzip;q", "gzip,;q=0.5", "\t"}) {
            int choice = AcceptEncoding.choose(junk, GZ);
            assertThat(choice).as(junk).isIn(IDENTITY, GZIP);
        }
        assertThat(AcceptEncoding.choose(";q=1", GZ)).isEqualTo(IDENTITY);
        assertThat(AcceptEncoding.choose("gzipx, gzi", GZ)).isEqualTo(IDENTITY);
    }
}
