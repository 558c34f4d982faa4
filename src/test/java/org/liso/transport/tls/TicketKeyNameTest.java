package org.liso.transport.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** How a ticket names its key, per engine, and JSSE's reading of its key-lifetime property. */
class TicketKeyNameTest {
    @Test
    void aNativeNameIsTheTicketsFirstSixteenBytes() {
        byte[] t = new byte[40];
        for (int i = 0; i < t.length; i++) {
            t[i] = (byte) i;
        }
        TicketKeyName name = TicketKeyName.nativeName(ByteBuffer.wrap(t));
        assertThat(name.issued(ByteBuffer.wrap(t.clone()))).isTrue();
        byte[] other = t.clone();
        other[15] ^= 1;
        assertThat(name.issued(ByteBuffer.wrap(other))).isFalse();
        other = t.clone();
        other[16] ^= 1; // past the name: another ticket of the same key
        assertThat(name.issued(ByteBuffer.wrap(other))).isTrue();
        assertThat(name.issued(ByteBuffer.wrap(new byte[8]))).isFalse();
    }

    @Test
    void aJsseContextOwnsTheKeyNumbersAroundTheProbedOne() {
        // One hour per key (the default), a 24 h window: 26 numbers either side, across the int wrap.
        TicketKeyName name = TicketKeyName.jsseNames(ticket(Integer.MAX_VALUE - 1), 24 * 3_600_000L);
        assertThat(name.issued(ticket(Integer.MAX_VALUE - 1))).isTrue();
        assertThat(name.issued(ticket(Integer.MIN_VALUE + 20))).as("past the wrap").isTrue();
        assertThat(name.issued(ticket(Integer.MAX_VALUE - 20))).isTrue();
        assertThat(name.issued(ticket(Integer.MAX_VALUE - 40))).isFalse();
        assertThat(name.issued(ticket(12345))).isFalse();
    }

    @Test
    void jsseRefusesKeyLifetimesAboveSixHundredAndFourSeconds() {
        assertThat(TicketKeyName.jsseKeyMillis(null)).isEqualTo(3_600_000);
        assertThat(TicketKeyName.jsseKeyMillis("600")).isEqualTo(600_000);
        assertThat(TicketKeyName.jsseKeyMillis("604")).isEqualTo(604_000);
        assertThat(TicketKeyName.jsseKeyMillis("605")).as("compared as ms with a limit in s").isEqualTo(3_600_000);
        assertThat(TicketKeyName.jsseKeyMillis("43200")).isEqualTo(3_600_000);
        assertThat(TicketKeyName.jsseKeyMillis("-1")).isEqualTo(3_600_000);
        assertThat(TicketKeyName.jsseKeyMillis("1h")).isEqualTo(3_600_000);
    }

    private static ByteBuffer ticket(int keyNumber) {
        return ByteBuffer.allocate(64).putInt(keyNumber).put(new byte[60]).flip();
    }
}
