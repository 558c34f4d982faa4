package org.liso.http2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FlowWindowTest {

    @Test
    void consumingBeyondTheWindowIsAFlowControlError() throws Http2Exception {
        FlowWindow w = new FlowWindow(3, 100);
        w.consume(100);
        assertThat(w.available()).isZero();
        assertThatThrownBy(() -> w.consume(1)).isInstanceOfSatisfying(Http2Exception.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.FLOW_CONTROL_ERROR);
            assertThat(e.streamId()).isEqualTo(3);
        });
    }

    @Test
    void incrementsStopAtTwoToTheThirtyFirstMinusOne() throws Http2Exception {
        FlowWindow connection = new FlowWindow(0, 65_535);
        connection.increment(Integer.MAX_VALUE - 65_535);
        assertThat(connection.available()).isEqualTo(Integer.MAX_VALUE);
        assertThatThrownBy(() -> connection.increment(1)).isInstanceOfSatisfying(Http2Exception.class,
                e -> assertThat(e.isConnectionError()).isTrue());
    }

    @Test
    void aSmallerInitialWindowMayMakeAWindowNegative() throws Http2Exception {
        FlowWindow w = new FlowWindow(1, 65_535);
        w.consume(60_000);
        w.adjust(16_384 - 65_535);
        assertThat(w.available()).isNegative();
        w.increment(50_000);
        assertThat(w.available()).isEqualTo(65_535 - 60_000 + 16_384 - 65_535 + 50_000);
        FlowWindow big = new FlowWindow(1, Integer.MAX_VALUE);
        assertThatThrownBy(() -> big.adjust(1)).isInstanceOfSatisfying(Http2Exception.class,
                e -> assertThat(e.isConnectionError()).isTrue());
    }
}
