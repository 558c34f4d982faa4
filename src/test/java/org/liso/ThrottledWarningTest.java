package org.liso;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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
    void aBurstIsOneLineAndTheNextIntervalCountsWhatWasHeldBack() {
        AtomicLong nanos = new AtomicLong(5_000_000_000L);
        ThrottledWarning w = new ThrottledWarning("files", "thing happened", 10_000, nanos::get);
        for (int i = 0; i < 100; i++) {
            w.warn("n", i);
            nanos.addAndGet(1_000_000); // 100 calls over 100 ms
        }
        assertThat(lines).containsExactly(lines.get(0));
        assertThat(lines.get(0)).contains("WARN files thing happened n=0 repeats_held_back=0");
        nanos.set(5_000_000_000L + 9_999_000_000L);
        w.warn("n", "still within");
        assertThat(lines).hasSize(1);
        nanos.set(5_000_000_000L + 10_000_000_000L);
        w.warn("n", "next");
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).contains("n=next repeats_held_back=100");
        w.warn("n", "again");
        assertThat(lines).hasSize(2);
    }

    @Test
    void theRealClockLogsTheFirstAtOnce() {
        new ThrottledWarning("files", "first", 10_000).warn("k", "v");
        assertThat(lines).singleElement().asString().contains("WARN files first k=v repeats_held_back=0");
    }
}
