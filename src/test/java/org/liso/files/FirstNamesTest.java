package org.liso.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FirstNamesTest {

    private static List<String> shuffledNames(int n) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            names.add("f" + i);
        }
        Collections.shuffle(names, new Random(12));
        return names;
    }

    @Test
    void keepsTheSmallestNamesInOrderWhateverTheOfferOrder() {
        List<String> names = shuffledNames(5_000);
        FirstNames page = new FirstNames(100, null);
        names.forEach(page::offer);
        List<String> sorted = new ArrayList<>(names);
        Collections.sort(sorted);
        assertThat(page.names()).isEqualTo(sorted.subList(0, 100));
        assertThat(page.more()).isTrue();
    }

    @Test
    void resumesAfterTheCursorAndSaysWhenNothingFollows() {
        List<String> names = shuffledNames(250);
        List<String> sorted = new ArrayList<>(names);
        Collections.sort(sorted);
        List<String> seen = new ArrayList<>();
        String after = null;
        boolean more = true;
        while (more) {
            FirstNames page = new FirstNames(100, after);
            names.forEach(page::offer);
            seen.addAll(page.names());
            more = page.more();
            after = seen.get(seen.size() - 1);
        }
        assertThat(seen).isEqualTo(sorted);
    }

    @Test
    void exactlyFullPageHasNoNextPage() {
        FirstNames page = new FirstNames(3, null);
        List.of("c", "a", "b").forEach(page::offer);
        assertThat(page.names()).containsExactly("a", "b", "c");
        assertThat(page.more()).isFalse();
    }

    @Test
    void cursorNeedNotBeAnExistingName() {
        FirstNames page = new FirstNames(10, "b");
        List.of("c", "a", "ba", "b").forEach(page::offer);
        assertThat(page.names()).containsExactly("ba", "c");
        assertThat(page.more()).isFalse();
    }

    @Test
    void refusesAnEmptyPage() {
        assertThatThrownBy(() -> new FirstNames(0, null)).isInstanceOf(IllegalArgumentException.class);
    }
}
