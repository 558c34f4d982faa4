package org.liso.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TimerHeapTest {
    private long now;
    private final TimerHeap heap = new TimerHeap(() -> now);
    private final List<String> fired = new ArrayList<>();

    private Timer timer(String name) {
        return new Timer(heap, null, () -> fired.add(name + "@" + now));
    }

    @Test
    void firesInDeadlineOrder() {
        timer("c").schedule(30);
        timer("a").schedule(10);
        timer("b").schedule(20);
        now = 25;
        heap.runDue(now, TimerHeapTest::fire);
        assertThat(fired).containsExactly("a@25", "b@25");
        now = 30;
        heap.runDue(now, TimerHeapTest::fire);
        assertThat(fired).containsExactly("a@25", "b@25", "c@30");
        assertThat(heap.size()).isZero();
    }

    @Test
    void pushingADeadlineLaterIsHonouredWithoutFiringEarly() {
        Timer t = timer("idle");
        t.schedule(100);
        now = 50;
        t.schedule(100); // wanted at 150, still filed at 100
        now = 100;
        heap.runDue(now, TimerHeapTest::fire);
        assertThat(fired).isEmpty();
        assertThat(t.armed()).isTrue();
        assertThat(heap.millisToNext(now)).isEqualTo(50);
        now = 150;
        heap.runDue(now, TimerHeapTest::fire);
        assertThat(fired).containsExactly("idle@150");
        assertThat(t.armed()).isFalse();
    }

    @Test
    void movingADeadlineEarlierAndCancellingTakeEffectAtOnce() {
        Timer t = timer("t");
        t.schedule(100);
        t.schedule(10);
        now = 10;
        heap.runDue(now, TimerHeapTest::fire);
        assertThat(fired).containsExactly("t@10");
        Timer u = timer("u");
        u.schedule(5);
        u.cancel();
        now = 100;
        heap.runDue(now, TimerHeapTest::fire);
        assertThat(fired).containsExactly("t@10");
        assertThat(heap.size()).isZero();
    }

    @Test
    void randomScheduleMoveAndCancelMatchAModel() {
        Random rnd = new Random(3);
        int n = 200;
        Timer[] timers = new Timer[n];
        long[] due = new long[n];
        for (int i = 0; i < n; i++) {
            int id = i;
            timers[i] = new Timer(heap, null, () -> {
                assertThat(due[id]).as("timer %d fired at its wanted time", id).isEqualTo(now);
                due[id] = -1;
            });
            due[i] = -1;
        }
        for (now = 0; now < 5000; now++) {
            for (int k = 0; k < 3; k++) {
                int i = rnd.nextInt(n);
                switch (rnd.nextInt(3)) {
                    case 0, 1 -> {
                        long delay = rnd.nextInt(200);
                        timers[i].schedule(delay);
                        due[i] = now + delay;
                    }
                    default -> {
                        timers[i].cancel();
                        due[i] = -1;
                    }
                }
            }
            heap.runDue(now, TimerHeapTest::fire);
            for (int i = 0; i < n; i++) {
                assertThat(due[i] < 0 || due[i] > now).as("nothing overdue").isTrue();
            }
        }
    }

    private static void fire(Timer t) {
        t.action.run();
    }
}
