package org.liso.fastcgi;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * Invariants of {@link ResponseDecoder} (and the {@link RecordDecoder} under it) on arbitrary bytes: no exception
 * but {@link FastCgiException}, and the same transcript however the input is cut, one cut chosen by the first byte or
 * every byte alone. Seeds: ResponseDecoderFuzzTestInputs/decode.
 */
class ResponseDecoderFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void decode(byte[] input) {
        if (input.length == 0) {
            return;
        }
        int control = input[0] & 0xff;
        byte[] bytes = Arrays.copyOfRange(input, 1, input.length);
        String whole = ResponseDecoderTest.transcript(bytes);
        assertThat(whole).matches("(?s)error: .*|out=.*\\|err=.*\\|end=.*\\|left=\\d+");
        int cut = control * bytes.length / 255;
        assertThat(ResponseDecoderTest.transcript(bytes, cut)).isEqualTo(whole);
        int[] every = new int[Math.max(0, bytes.length - 1)];
        for (int i = 0; i < every.length; i++) {
            every[i] = i + 1;
        }
        assertThat(ResponseDecoderTest.transcript(bytes, every)).isEqualTo(whole);
    }
}
