package org.liso.transport.tls;

import org.junit.jupiter.api.Nested;

/** Real clients (openssl s_client, curl) against the TLS transport: every case with the native engine and with JSSE. */
class OpenSslClientIT {
    @Nested
    class NativeEngine extends OpenSslClientCases {
        NativeEngine() {
            super(TlsProvider.NATIVE);
        }
    }

    @Nested
    class JdkEngine extends OpenSslClientCases {
        JdkEngine() {
            super(TlsProvider.JDK);
        }
    }
}
