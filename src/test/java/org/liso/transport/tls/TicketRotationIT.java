package org.liso.transport.tls;

import org.junit.jupiter.api.Nested;

/** Ticket keys on a schedule, shared by every loop: every case with the native engine and with JSSE. */
class TicketRotationIT {
    @Nested
    class NativeEngine extends TicketRotationCases {
        NativeEngine() {
            super(TlsProvider.NATIVE);
        }
    }

    @Nested
    class JdkEngine extends TicketRotationCases {
        JdkEngine() {
            super(TlsProvider.JDK);
        }
    }
}
