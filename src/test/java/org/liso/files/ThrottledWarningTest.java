package org.liso.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.liso.Log;

class ThrottledWarningTest {
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private Log.Sink previous;

    @BeforeEach
    void capture() {
        previous = Log.sink();
        Log.setSink(lines::add);
    }

    @AfterEach
    void restore() {
        Log.setSink(previous);
    }

    @Test
    void aBurstIsOneLineAndTheNextIntervalCountsWhatWasHeldBack() throws Exception {
        ThrottledWarning w = new ThrottledWarning("thing happened", 300);
        long start = System.nanoTime();
        for (int i = 0; i < 100; i++) {
            w.warn("n", i);
        }
        boolean withinInterval = System.nanoTime() - start < 300_000_000L;
        if (withinInterval) {
            assertThat(lines).hasSize(1);
        }
        assertThat(lines.get(0)).contains("WARN files thing happened n=0 repeats_held_back=0");
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (lines.size() < 2 && System.nanoTime() < deadline) {
            w.warn("n", "late");
            Thread.sleep(10);
        }
        assertThat(lines).hasSizeGreaterThanOrEqualTo(2);
        assertThat(lines.get(1)).contains("n=late repeats_held_back=");
        long held = Long.parseLong(lines.get(1).replaceAll(".*repeats_held_back=", ""));
        assertThat(held).as("the burst's 99 are counted").isGreaterThanOrEqualTo(withinInterval ? 99 : 1);
    }
}
