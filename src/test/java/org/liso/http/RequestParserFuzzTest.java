package org.liso.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Invariants of {@link RequestParser} on arbitrary bytes: the only exception is an HttpException with a 4xx/5xx
 * status, and the result does not depend on how the bytes are cut. The first input byte picks the limits and the
 * cut point, so small limits get exercised too. Seeds: RequestParserFuzzTestInputs/parse (replayed by `mvn test`).
 */
class RequestParserFuzzTest {
    private static final RequestLimits SMALL = RequestLimits.DEFAULT.withMaxRequestLine(40).withMaxHeadBytes(96)
            .withMaxHeaders(4);

    @FuzzTest(maxDuration = "60s")
    void parse(byte[] input) {
        if (input.length == 0) {
            return;
        }
        int control = input[0] & 0xff;
        byte[] bytes = java.util.Arrays.copyOfRange(input, 1, input.length);
        RequestLimits limits = (control & 1) == 0 ? RequestLimits.DEFAULT
                : (control & 2) == 0 ? SMALL : SMALL.withRequireHost(false);
        String whole = Feeding.parseWhole(limits, bytes);
        if (whole.startsWith("error ")) {
            int status = Integer.parseInt(whole.substring(6, 9));
            assertThat(status).isBetween(400, 599);
            assertThat(whole).contains("framing=true");
        }
        int cut = bytes.length == 0 ? 0 : (control >>> 2) * bytes.length / 63;
        assertThat(Feeding.parse(limits, bytes, Math.min(cut, bytes.length))).isEqualTo(whole);
        assertThat(Feeding.parseBytewise(limits, bytes)).isEqualTo(whole);
    }
}
