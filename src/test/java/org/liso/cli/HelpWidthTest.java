package org.liso.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HelpWidthTest {
    @Test
    void offATerminalTheWidthWrapsNothing() {
        assertThat(HelpWidth.width(false, null)).isEqualTo(HelpWidth.UNWRAPPED);
        assertThat(HelpWidth.width(false, 80)).isEqualTo(HelpWidth.UNWRAPPED);
    }

    @Test
    void onATerminalColumnsIsTheWidthDownToPicocliMinimum() {
        assertThat(HelpWidth.width(true, 132)).isEqualTo(132);
        assertThat(HelpWidth.width(true, 20)).isEqualTo(HelpWidth.MINIMUM);
    }

    @Test
    void columnsThatAreNotAPositiveNumberAreIgnored() {
        assertThat(HelpWidth.columns(null)).isNull();
        assertThat(HelpWidth.columns("")).isNull();
        assertThat(HelpWidth.columns("wide")).isNull();
        assertThat(HelpWidth.columns("0")).isNull();
        assertThat(HelpWidth.columns(" 100 ")).isEqualTo(100);
    }
}
