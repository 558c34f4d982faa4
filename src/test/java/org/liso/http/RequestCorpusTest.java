package org.liso.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs src/test/resources/http/requests.tsv: each case parsed whole, split into two buffers at every index, and
 * one byte at a time, with identical results, and the result matches the expected status and checks.
 */
class RequestCorpusTest {
    private static final List<String[]> CASES = Corpus.resource("/http/requests.tsv");

    @Test
    void corpusIsSubstantial() {
        assertThat(CASES).hasSizeGreaterThan(100);
        assertThat(CASES.stream().filter(c -> !c[1].equals("200") && !c[1].equals("-")).count())
                .isGreaterThan(60);
    }

    @TestFactory
    Stream<DynamicTest> everyCase() {
        return CASES.stream().map(c -> DynamicTest.dynamicTest(c[0], () -> check(c)));
    }

    private static void check(String[] c) {
        String id = c[0];
        String status = c[1];
        byte[] bytes = Escapes.decode(c[2]);
        String whole = Feeding.parseWhole(RequestLimits.DEFAULT, bytes);
        String expectedPrefix = status.equals("200") ? "ok " : status.equals("-") ? "incomplete " : "error " + status;
        assertThat(whole).as(id).startsWith(expectedPrefix);
        String padded = " " + whole + " ";
        for (String token : c[3].split(" ")) {
            if (token.isEmpty()) {
                continue;
            }
            String t = token.replace("\\s", " ");
            assertThat(padded).as(id).contains(t.contains("=") ? " " + t + " " : t);
        }
        assertThat(Feeding.parseBytewise(RequestLimits.DEFAULT, bytes)).as(id + " byte by byte").isEqualTo(whole);
        for (int cut = 0; cut <= bytes.length; cut++) {
            assertThat(Feeding.parse(RequestLimits.DEFAULT, bytes, cut)).as(id + " split at " + cut)
                    .isEqualTo(whole);
        }
    }
}
