package org.liso.transport.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class RecordsTest {

    @Test
    void aRecordIsCompleteOnlyOnceEveryByteOfItHasArrived() {
        byte[] record = new byte[5 + 300];
        record[0] = 23;
        record[1] = 3;
        record[2] = 3;
        record[3] = 1;
        record[4] = 44; // 0x012c = 300
        for (int split = 0; split <= record.length; split++) {
            ByteBuffer netIn = ByteBuffer.allocate(1024);
            netIn.put(record, 0, split);
            assertThat(Records.hasCompleteRecord(netIn)).as("after %d bytes", split).isEqualTo(split == record.length);
        }
        assertThat(Records.hasCompleteRecord(null)).isFalse();
    }

    @Test
    void growKeepsThePartialRecordAndReturnsTheOldBufferToThePool() {
        BufferPool pool = new BufferPool(64);
        ByteBuffer full = pool.lease();
        for (int i = 0; i < 64; i++) {
            full.put((byte) i);
        }
        ByteBuffer bigger = Records.grow(full, 100, pool);
        assertThat(bigger.capacity()).isGreaterThan(100);
        assertThat(bigger.position()).isEqualTo(64);
        assertThat(bigger.get(63)).isEqualTo((byte) 63);
        assertThat(pool.leased()).isZero();
        assertThat(pool.free()).isEqualTo(1);
    }
}
