package org.liso.fastcgi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The server-wide bounds of one application: connections and idle ones, taken and given back by many threads. */
class ApplicationSlotsTest {

    @Test
    void connectionsAreBoundedAndComeBack() {
        ApplicationSlots slots = new ApplicationSlots(2, 1);
        assertThat(slots.tryAcquire()).isTrue();
        assertThat(slots.tryAcquire()).isTrue();
        assertThat(slots.tryAcquire()).isFalse();
        slots.release();
        assertThat(slots.used()).isEqualTo(1);
        assertThat(slots.tryAcquire()).isTrue();
        assertThat(slots.claimed()).isFalse();
    }

    @Test
    void idleConnectionsAreBoundedToo() {
        ApplicationSlots slots = new ApplicationSlots(4, 2);
        assertThat(slots.keepsConnections()).isTrue();
        assertThat(slots.tryIdle()).isTrue();
        assertThat(slots.tryIdle()).isTrue();
        assertThat(slots.tryIdle()).isFalse();
        slots.idleEnded();
        assertThat(slots.tryIdle()).isTrue();
        assertThat(new ApplicationSlots(4, 0).tryIdle()).isFalse();
        assertThat(new ApplicationSlots(4, 0).keepsConnections()).isFalse();
    }

    @Test
    void theBoundHoldsWhileLoopsTakeAndGiveBackAtOnce() throws Exception {
        int max = 3;
        ApplicationSlots slots = new ApplicationSlots(max, 0);
        AtomicInteger holding = new AtomicInteger();
        AtomicInteger worst = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            Thread thread = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 200_000; i++) {
                    if (slots.tryAcquire()) {
                        worst.accumulateAndGet(holding.incrementAndGet(), Math::max);
                        holding.decrementAndGet();
                        slots.release();
                    }
                }
            });
            thread.start();
            threads.add(thread);
        }
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertThat(worst.get()).isBetween(1, max);
        assertThat(slots.used()).isZero();
    }

    @Test
    void aLearnedBoundGrowsByProbesTheApplicationAnswers() {
        ApplicationSlots slots = new ApplicationSlots(16, FastCgiOptions.IDLE_LEARNED);
        assertThat(slots.keepsConnections()).isTrue();
        assertThat(slots.tryAcquire()).isTrue();
        slots.opened();
        assertThat(slots.answered()).as("nothing waits").isFalse();
        assertThat(slots.tryAcquire()).as("a probe beyond the one answered").isTrue();
        slots.opened();
        assertThat(slots.tryAcquire()).as("one probe at a time").isFalse();
        assertThat(slots.takeOwedWorker()).as("the probe is owed a worker: the next connection to idle closes")
                .isTrue();
        assertThat(slots.takeOwedWorker()).as("once").isFalse();
        slots.answered();
        assertThat(slots.learnedLimit()).isEqualTo(2);
        assertThat(slots.completed()).isFalse();
        slots.release();
        slots.release();
        assertThat(slots.used()).isZero();
        assertThat(slots.learnedLimit()).as("what was learned stays").isEqualTo(2);
    }
}
