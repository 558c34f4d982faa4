package org.liso.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Invariants of {@link ChunkedDecoder} on arbitrary bytes: only HttpException 400/413/431, a decoded length within
 * the limit, and the same result however the input is cut or however small the output buffer is.
 * Seeds: ChunkedDecoderFuzzTestInputs/decode.
 */
class ChunkedDecoderFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void decode(byte[] input) {
        if (input.length == 0) {
            return;
        }
        int control = input[0] & 0xff;
        byte[] bytes = java.util.Arrays.copyOfRange(input, 1, input.length);
        long max = (control & 1) == 0 ? 1 << 20 : 16;
        String whole = ChunkedDecoderTest.decode(max, 4096, bytes);
        if (whole.startsWith("error ")) {
            assertThat(whole.substring(6, 9)).isIn("400", "413", "431");
            assertThat(whole).contains("framing=true");
        } else {
            long length = Long.parseLong(whole.substring(12, whole.indexOf(' ', 12)));
            assertThat(length).isLessThanOrEqualTo(max);
        }
        int cut = bytes.length == 0 ? 0 : (control >>> 1) * bytes.length / 127;
        assertThat(ChunkedDecoderTest.decode(max, 4096, bytes, Math.min(cut, bytes.length))).isEqualTo(whole);
        assertThat(ChunkedDecoderTest.decode(max, 1 + (control & 7), bytes)).isEqualTo(whole);
        int[] all = new int[Math.max(0, bytes.length - 1)];
        for (int i = 0; i < all.length; i++) {
            all[i] = i + 1;
        }
        assertThat(ChunkedDecoderTest.decode(max, 4096, bytes, all)).isEqualTo(whole);
    }
}
