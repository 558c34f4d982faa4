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
        l.opened();
        l.answered(used + 1);
        return used + 1;
    }

    @Test
    void oneConnectionUntilItIsAnsweredThenProbesGrowTheLimit() {
        LearnedLimit l = new LearnedLimit(16);
        assertThat(l.limit()).isEqualTo(1);
        assertThat(l.admits(0)).isTrue();
        l.opened();
        assertThat(l.pending()).isTrue();
        assertThat(l.admits(1)).as("no probe while a connection is unanswered").isFalse();
        l.answered(1);
        assertThat(l.pending()).isFalse();
        int used = 1;
        for (int i = 0; i < 3; i++) {
            used = openAnswered(l, used);
        }
        assertThat(l.limit()).isEqualTo(4);
        assertThat(l.completed(used)).isFalse();
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
        l.opened();
        used++;
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
        l.opened();
        used++;
        boolean closed = false;
        for (int i = 0; i < 7 && !closed; i++) {
            closed = l.completed(used);
        }
        assertThat(closed).isTrue();
        assertThat(l.limit()).isEqualTo(3);
    }

    @Test
    void aConnectionClosedUnansweredEndsThePendingPhase() {
        LearnedLimit l = new LearnedLimit(16);
        l.opened();
        l.closedUnanswered();
        assertThat(l.pending()).isFalse();
        assertThat(l.limit()).isEqualTo(1);
        assertThat(l.admits(0)).isTrue();
    }

    @Test
    void aFreshConnectionCostsOneCloseAtMostThoughItStaysUnansweredLong() {
        LearnedLimit l = new LearnedLimit(16);
        int used = 0;
        for (int i = 0; i < 4; i++) {
            used = openAnswered(l, used);
        }
        l.opened(); // a probe whose request is a long poll: it has a worker, and is not answered for long
        used++;
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
        l.opened();
        l.opened();
        assertThat(l.takeOwed()).isTrue();
        assertThat(l.takeOwed()).isTrue();
        assertThat(l.takeOwed()).isFalse();
        assertThat(l.completed(used + 2)).as("nothing owed: no close").isFalse();
    }
}
