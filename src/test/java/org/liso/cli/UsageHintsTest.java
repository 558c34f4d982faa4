package org.liso.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which names are close enough to suggest for a typo. */
class UsageHintsTest {

    @Test
    void editDistanceCountsASwapAsOneEdit() {
        assertThat(UsageHints.editDistance("serve", "serve")).isZero();
        assertThat(UsageHints.editDistance("sevre", "serve")).isEqualTo(1);
        assertThat(UsageHints.editDistance("max-bdy", "max-body")).isEqualTo(1);
        assertThat(UsageHints.editDistance("port", "https")).isEqualTo(5);
        assertThat(UsageHints.editDistance("", "abc")).isEqualTo(3);
    }

    @Test
    void closeMeansAboutOneEditInFourLetters() {
        assertThat(UsageHints.isClose("--max-bdy", "--max-body")).isTrue();
        assertThat(UsageHints.isClose("--idle-timout", "--idle-timeout")).isTrue();
        assertThat(UsageHints.isClose("sevre", "serve")).isTrue();
        assertThat(UsageHints.isClose("--port", "--hsts")).isFalse();
        assertThat(UsageHints.isClose("--frobnicate", "--follow-symlinks")).isFalse();
        assertThat(UsageHints.isClose("-x", "-u")).as("one-letter options: no guess").isFalse();
        assertThat(UsageHints.isClose("--root", "--rsa")).isFalse();
    }
}
