package org.liso.transport.tls;

import org.junit.jupiter.api.Nested;

/** Hostile and heavy clients: every case with the native engine and with JSSE. */
class TlsRobustnessIT {
    @Nested
    class NativeEngine extends TlsRobustnessCases {
        NativeEngine() {
            super(TlsProvider.NATIVE);
        }
    }

    @Nested
    class JdkEngine extends TlsRobustnessCases {
        JdkEngine() {
            super(TlsProvider.JDK);
        }
    }
}
