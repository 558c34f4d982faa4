package org.liso.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ErrorCauseTest {

    @Test
    void a500IsToldApartByWhereTheServerMadeItOtherStatusesByThemselves() {
        assertThat(ErrorCause.of(500, null)).isEqualTo(ErrorCause.APPLICATION);
        assertThat(ErrorCause.of(500, ErrorCause.HANDLER_FAULT)).isEqualTo(ErrorCause.HANDLER_FAULT);
        assertThat(ErrorCause.of(500, ErrorCause.RESPONSE_TIMEOUT)).isEqualTo(ErrorCause.RESPONSE_TIMEOUT);
        // A mark left by an earlier server-made answer does not relabel a 502 or 504.
        assertThat(ErrorCause.of(502, ErrorCause.INTERNAL)).isEqualTo(ErrorCause.BAD_GATEWAY);
        assertThat(ErrorCause.of(503, null)).isEqualTo(ErrorCause.UNAVAILABLE);
        assertThat(ErrorCause.of(504, ErrorCause.INTERNAL)).isEqualTo(ErrorCause.GATEWAY_TIMEOUT);
        assertThat(ErrorCause.of(501, null)).isEqualTo(ErrorCause.NOT_IMPLEMENTED);
        assertThat(ErrorCause.of(505, null)).isEqualTo(ErrorCause.VERSION_NOT_SUPPORTED);
        assertThat(ErrorCause.of(599, null)).isEqualTo(ErrorCause.OTHER);
    }

    @Test
    void labelsAreSnakeCaseAndDistinct() {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (ErrorCause c : ErrorCause.values()) {
            assertThat(c.label()).matches("[a-z_]+");
            assertThat(seen.add(c.label())).as(c.label()).isTrue();
        }
    }
}
