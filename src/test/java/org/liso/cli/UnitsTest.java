package org.liso.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The one reading of sizes and durations that every option of every command uses. */
class UnitsTest {

    @Test
    void sizesTakeEveryUnitAs1024Based() {
        assertThat(Size.parse("0").bytes()).isZero();
        assertThat(Size.parse("512").bytes()).isEqualTo(512);
        assertThat(Size.parse("512k").bytes()).isEqualTo(512 * 1024);
        assertThat(Size.parse("512K").bytes()).isEqualTo(512 * 1024);
        assertThat(Size.parse("10M").bytes()).isEqualTo(10L << 20);
        assertThat(Size.parse("10m").bytes()).isEqualTo(10L << 20);
        assertThat(Size.parse("1G").bytes()).isEqualTo(1L << 30);
        assertThat(Size.parse(" 8g ").bytes()).isEqualTo(8L << 30);
        assertThat(Size.parse("9223372036854775807").bytes()).isEqualTo(Long.MAX_VALUE);
        assertThat(Size.parse("8589934591G").bytes()).isEqualTo(8589934591L << 30);
    }

    @Test
    void sizesRefuseGarbageSignsFractionsAndOverflow() {
        for (String bad : new String[] {"", "k", "10MB", "10 M", "-1", "+1", "1.5M", "0x10", "1e3", "10T", "ten",
                "1k1"}) {
            assertThatThrownBy(() -> Size.parse(bad)).as(bad).isInstanceOf(CommandLine.TypeConversionException.class)
                    .hasMessageContaining("is not a size").hasMessageContaining("512, 64k, 10M, 1G");
        }
        for (String big : new String[] {"9223372036854775808", "8589934592G", "9999999999999999999k"}) {
            assertThatThrownBy(() -> Size.parse(big)).as(big).hasMessageContaining("too large");
        }
        assertThatThrownBy(() -> Size.parse("99999999999999999999")).hasMessageContaining("too large");
    }

    @Test
    void sizesPrintTheirShortestExactForm() {
        assertThat(new Size(16L << 20)).hasToString("16M");
        assertThat(new Size(8192)).hasToString("8k");
        assertThat(new Size(1L << 30)).hasToString("1G");
        assertThat(new Size(1000)).hasToString("1000");
        assertThat(new Size(0)).hasToString("0");
        assertThat(Size.parse(new Size(1536).toString()).bytes()).isEqualTo(1536);
    }

    @Test
    void sizesBeyondAnIntAreRefusedWhereTheOptionIsAnInt() {
        assertThat(Size.parse("1G").toInt("--max-head")).isEqualTo(1 << 30);
        assertThatThrownBy(() -> Size.parse("2G").toInt("--max-head")).isInstanceOf(CliFailure.class)
                .hasMessage("--max-head must be below 2G, was 2G");
    }

    @Test
    void durationsTakeEveryUnitAndABareNumberIsSeconds() {
        assertThat(TimeSpan.parse("500ms").millis()).isEqualTo(500);
        assertThat(TimeSpan.parse("5s").millis()).isEqualTo(5_000);
        assertThat(TimeSpan.parse("1.5s").millis()).isEqualTo(1_500);
        assertThat(TimeSpan.parse("2m").millis()).isEqualTo(120_000);
        assertThat(TimeSpan.parse("1h").millis()).isEqualTo(3_600_000);
        assertThat(TimeSpan.parse("365d").millis()).isEqualTo(31_536_000_000L);
        assertThat(TimeSpan.parse("3").millis()).isEqualTo(3_000);
        assertThat(TimeSpan.parse("0.25").millis()).isEqualTo(250);
        assertThat(TimeSpan.parse(".5s").millis()).isEqualTo(500);
        assertThat(TimeSpan.parse("0").millis()).isZero();
        assertThat(TimeSpan.parse("0.1ms").millis()).as("a fraction of a ms rounds up, not to 0").isEqualTo(1);
    }

    @Test
    void durationsRefuseGarbageSignsAndOverflow() {
        for (String bad : new String[] {"", "s", "soon", "-1", "-5s", "+5s", "5 s", "5S", "5sec", "1e3", "NaN",
                "Infinity", "5.", "1y", "5s5"}) {
            assertThatThrownBy(() -> TimeSpan.parse(bad)).as(bad)
                    .isInstanceOf(CommandLine.TypeConversionException.class)
                    .hasMessageContaining("is not a duration").hasMessageContaining("500ms, 5s, 1.5s, 2m, 1h");
        }
        assertThat(TimeSpan.parse(TimeSpan.MAX_MILLIS + "ms").millis()).isEqualTo(TimeSpan.MAX_MILLIS);
        for (String big : new String[] {(TimeSpan.MAX_MILLIS + 1) + "ms", "999999999999999999999d"}) {
            assertThatThrownBy(() -> TimeSpan.parse(big)).as(big).hasMessageContaining("too long");
        }
    }

    @Test
    void zeroIsRefusedWhereATimeoutMustRun() {
        assertThat(TimeSpan.parse("1ms").positive("--idle-timeout")).isEqualTo(1);
        assertThatThrownBy(() -> TimeSpan.parse("0s").positive("--idle-timeout")).isInstanceOf(CliFailure.class)
                .hasMessageStartingWith("--idle-timeout must be above 0");
    }

    @Test
    void durationsPrintTheirShortestExactForm() {
        assertThat(new TimeSpan(60_000)).hasToString("1m");
        assertThat(new TimeSpan(15_000)).hasToString("15s");
        assertThat(new TimeSpan(1_500)).hasToString("1500ms");
        assertThat(new TimeSpan(86_400_000)).hasToString("1d");
        assertThat(new TimeSpan(0)).hasToString("0");
        assertThat(TimeSpan.parse(new TimeSpan(1_500).toString()).millis()).isEqualTo(1_500);
    }

    @Test
    void probeRanges() {
        assertThat(ProbeCommand.range("80")).containsExactly(80, 80);
        assertThat(ProbeCommand.range("8000-8100")).containsExactly(8000, 8100);
        assertThatThrownBy(() -> ProbeCommand.range("9-8")).isInstanceOf(CliFailure.class);
        assertThatThrownBy(() -> ProbeCommand.range("0")).isInstanceOf(CliFailure.class);
        assertThatThrownBy(() -> ProbeCommand.range("1-2-3")).isInstanceOf(CliFailure.class);
    }
}
