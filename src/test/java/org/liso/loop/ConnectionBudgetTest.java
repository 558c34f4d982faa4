package org.liso.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Loops take and give back slots of one budget at the same time: the bound must hold for their sum at every moment,
 * and every slot given back must be there again (no lost update leaves the server short of, or over, its bound).
 */
class ConnectionBudgetTest {
    private static final int THREADS = 4;
    private static final int ROUNDS = 200_000;

    @Test
    void loopsSharingTheBudgetNeverHoldMoreThanItsBoundAndLoseNoSlot() throws Exception {
        ConnectionBudget budget = new ConnectionBudget(3);
        AtomicInteger holding = new AtomicInteger();
        AtomicInteger mostHeld = new AtomicInteger();
        CyclicBarrier start = new CyclicBarrier(THREADS);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<Integer>> granted = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                granted.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    int got = 0;
                    for (int i = 0; i < ROUNDS; i++) {
                        if (budget.tryAcquire()) {
                            got++;
                            mostHeld.accumulateAndGet(holding.incrementAndGet(), Math::max);
                            holding.decrementAndGet();
                            budget.release();
                        }
                    }
                    return got;
                }));
            }
            int total = 0;
            for (Future<Integer> f : granted) {
                total += f.get(60, TimeUnit.SECONDS);
            }
            assertThat(total).as("slots granted (the case under test)").isGreaterThan(ROUNDS);
            assertThat(mostHeld.get()).as("slots held at once").isLessThanOrEqualTo(3);
            assertThat(budget.open()).as("slots still taken after every release").isZero();
            for (int i = 0; i < 3; i++) {
                assertThat(budget.tryAcquire()).as("slot %d free again", i + 1).isTrue();
            }
            assertThat(budget.tryAcquire()).isFalse();
        } finally {
            pool.shutdownNow();
        }
    }
}
