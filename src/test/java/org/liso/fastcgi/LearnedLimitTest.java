package org.liso.fastcgi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The learned connection bound of {@code --fastcgi-idle auto}: it grows by probes the application answers, and a
 * probe left unanswered while the bound connections complete their requests closes one of them and stops probing.
 */
class LearnedLimitTest {

    /** Opens connection number {@code used + 1} and has it answered, as a spare worker would. */
    private static int openAnswered(LearnedLimit l, int used) {
        assertThat(l.admits(used)).as("connection %d admitted", used + 1).isTrue();
        l.opened(used + 1);
        l.answered(used + 1);
        return used + 1;
    }

    @Test
    void probesGrowTheLimitOneAtATime() {
        LearnedLimit l = new LearnedLimit(16);
        assertThat(l.limit()).isEqualTo(1);
        int used = openAnswered(l, 0);
        assertThat(l.admits(used)).as("a probe").isTrue();
        l.opened(++used);
        assertThat(l.owes()).as("a probe beside a bound connection is owed its worker").isTrue();
        assertThat(l.admits(used)).as("no second probe while the first is unanswered").isFalse();
        l.answered(used);
        assertThat(l.owes()).isFalse();
        for (int i = 0; i < 2; i++) {
            used = openAnswered(l, used);
        }
        assertThat(l.limit()).isEqualTo(4);
        assertThat(l.completed(used)).isFalse();
    }

    @Test
    void aSlowFirstRequestDoesNotHoldTheOthersBack() {
        LearnedLimit l = new LearnedLimit(16);
        l.opened(1); // no bound connection holds a worker: nothing of ours can be what it waits for
        assertThat(l.owes()).isFalse();
        assertThat(l.admits(1)).as("a probe beside it").isTrue();
        l.opened(2);
        assertThat(l.owes()).isFalse();
        assertThat(l.admits(2)).as("one, until one is answered").isFalse();
        l.answered(2);
        assertThat(l.limit()).isEqualTo(1);
        l.answered(2);
        assertThat(l.limit()).as("both held a worker at once").isEqualTo(2);
    }

    @Test
    void theLimitNeverPassesTheConnectionBound() {
        LearnedLimit l = new LearnedLimit(2);
        int used = openAnswered(l, 0);
        used = openAnswered(l, used);
        assertThat(l.limit()).isEqualTo(2);
        assertThat(l.admits(used)).isFalse();
    }

    @Test
    void aProbeNoWorkerTakesClosesABoundConnectionAndProbingPauses() {
        LearnedLimit l = new LearnedLimit(16);
        int used = 0;
        for (int i = 0; i < 4; i++) {
            used = openAnswered(l, used);
        }
        assertThat(l.admits(used)).as("a probe beyond 4").isTrue();
        l.opened(++used);
        // The four bound connections complete two requests each while the probe waits in the backlog: fine so far.
        for (int i = 0; i < 8; i++) {
            assertThat(l.completed(used)).as("completion %d", i).isFalse();
        }
        assertThat(l.completed(used)).as("the next one closes, freeing its worker").isTrue();
        used--;
        assertThat(l.limit()).isEqualTo(4);
        l.answered(used); // the freed worker took the probe
        assertThat(l.limit()).isEqualTo(4);
        assertThat(l.admits(used)).as("no probe right after a failed one").isFalse();
        for (int i = 0; i < LearnedLimit.PROBE_EVERY; i++) {
            assertThat(l.completed(used)).isFalse();
        }
        assertThat(l.admits(used)).as("probing again after PROBE_EVERY requests").isTrue();
    }

    @Test
    void fewerWorkersThanTheLimitLowerIt() {
        LearnedLimit l = new LearnedLimit(16);
        int used = 0;
        for (int i = 0; i < 4; i++) {
            used = openAnswered(l, used);
        }
        // A worker went away (its connection closed); the replacement finds no worker: three are left.
        used--;
        assertThat(l.admits(used)).isTrue();
        l.opened(++used);
        boolean closed = false;
        for (int i = 0; i < 7 && !closed; i++) {
            closed = l.completed(used);
        }
        assertThat(closed).isTrue();
        assertThat(l.limit()).isEqualTo(3);
    }

    @Test
    void aConnectionClosedUnansweredIsOwedNothing() {
        LearnedLimit l = new LearnedLimit(16);
        int used = openAnswered(l, 0);
        l.opened(++used);
        assertThat(l.owes()).isTrue();
        l.closedUnanswered();
        assertThat(l.owes()).isFalse();
        assertThat(l.limit()).isEqualTo(1);
        assertThat(l.admits(0)).isTrue();
        assertThat(l.takeOwed()).isFalse();
    }

    @Test
    void aFreshConnectionCostsOneCloseAtMostThoughItStaysUnansweredLong() {
        LearnedLimit l = new LearnedLimit(16);
        int used = 0;
        for (int i = 0; i < 4; i++) {
            used = openAnswered(l, used);
        }
        l.opened(++used); // a probe whose request is a long poll: it has a worker, and is not answered for long
        int closes = 0;
        for (int i = 0; i < 1000; i++) {
            if (l.completed(used)) {
                closes++;
                used--;
            }
        }
        assertThat(closes).as("bound connections closed for it").isEqualTo(1);
        assertThat(l.takeOwed()).as("no idle one closes for it either").isFalse();
        assertThat(l.limit()).isEqualTo(4);
    }

    @Test
    void aConnectionThatWouldIdleClosesOncePerFreshOne() {
        LearnedLimit l = new LearnedLimit(16);
        int used = openAnswered(l, 0);
        l.opened(++used);
        l.opened(++used);
        assertThat(l.takeOwed()).isTrue();
        assertThat(l.takeOwed()).isTrue();
        assertThat(l.takeOwed()).isFalse();
        assertThat(l.completed(used)).as("nothing owed: no close").isFalse();
    }
}
