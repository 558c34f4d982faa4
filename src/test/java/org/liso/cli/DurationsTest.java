package org.liso.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void parsesUnits() {
        assertThat(Durations.millis("5s")).isEqualTo(5000);
        assertThat(Durations.millis("500ms")).isEqualTo(500);
        assertThat(Durations.millis("1.5s")).isEqualTo(1500);
        assertThat(Durations.millis("2m")).isEqualTo(120_000);
        assertThat(Durations.millis("3")).isEqualTo(3000);
        assertThatThrownBy(() -> Durations.millis("soon")).hasMessageContaining("not a duration");
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
