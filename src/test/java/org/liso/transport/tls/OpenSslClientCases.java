package org.liso.transport.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Real clients (openssl s_client, curl) against the TLS transport under the test HTTP-ish service. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class OpenSslClientCases {
    static final String REQUEST = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";
    final TlsProvider provider;
    final TlsSettings settings;

    OpenSslClientCases(TlsProvider provider) {
        this.provider = provider;
        this.settings = TlsSettings.DEFAULT.withProvider(provider);
    }


    Path dir;
    Path file;
    KeyMaterial ec;
    KeyMaterial rsa;
    TestServer ecServer;
    TestServer rsaServer;

    @BeforeAll
    void start(@TempDir Path tmp) throws Exception {
        dir = tmp;
        ec = KeyMaterial.selfSigned();
        ec.writePem(dir.resolve("ec"));
        rsa = KeyMaterial.selfSignedRsa();
        rsa.writePem(dir.resolve("rsa"));
        file = dir.resolve("payload.bin");
        byte[] data = new byte[3 * 1024 * 1024 + 123];
        new Random(42).nextBytes(data);
        Files.write(file, data);
        ecServer = new TestServer(new TlsTransportFactory(ec, settings), TestServer.Mode.HTTP, 10_000,
                null, "hello over tls\n".getBytes(StandardCharsets.US_ASCII));
        rsaServer = new TestServer(new TlsTransportFactory(rsa, settings), TestServer.Mode.HTTP, 10_000,
                file, null);
    }

    @AfterAll
    void stop() {
        ecServer.close();
        rsaServer.close();
    }

    @Test
    void tls13And12AreAcceptedWithAlpnAndVerifiedCertificate() throws Exception {
        for (String version : List.of("-tls1_3", "-tls1_2")) {
            String out = sClient(ecServer, "ec", REQUEST, version, "-alpn", "http/1.1", "-msg");
            String name = version.equals("-tls1_3") ? "TLSv1.3" : "TLSv1.2";
            assertThat(out).as(version).contains("Protocol  : " + name)
                    .contains("ALPN protocol: http/1.1")
                    .contains("Verify return code: 0 (ok)")
                    .contains("hello over tls")
                    // The server ends its response with close_notify (RFC 8446 §6.1), not a bare FIN.
                    .containsPattern("<<< TLS 1\\.[23], Alert \\[length 0002\\], warning close_notify");
        }
    }

    @Test
    void tls10And11AreRefused() throws Exception {
        for (String version : List.of("-tls1", "-tls1_1")) {
            // SECLEVEL=0 lets this openssl offer the old versions at all; the refusal must come from the server.
            String out = sClient(ecServer, "ec", REQUEST, version, "-cipher", "DEFAULT:@SECLEVEL=0");
            assertThat(out).as(version).contains("alert protocol version").doesNotContain("hello over tls");
        }
    }

    @Test
    void tls12OffersOnlyEcdheWithAeadSuites() throws Exception {
        assertThat(sClient(rsaServer, "rsa", REQUEST, "-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256"))
                .contains("Cipher    : ECDHE-RSA-AES128-GCM-SHA256");
        for (String weak : List.of("AES128-GCM-SHA256", "ECDHE-RSA-AES128-SHA", "AES128-SHA", "DHE-RSA-AES128-GCM-SHA256")) {
            assertThat(sClient(rsaServer, "rsa", REQUEST, "-tls1_2", "-cipher", weak)).as(weak)
                    .contains("alert handshake failure");
        }
    }

    @Test
    void clientInitiatedRenegotiationIsRefused() throws Exception {
        // "R" on a line of its own makes s_client renegotiate (TLS 1.2 only).
        String out = sClient(ecServer, "ec", "R\n", "-tls1_2");
        // JSSE answers handshake_failure; BoringSSL the no_renegotiation alert (RFC 5246 §7.2.2), fatal there.
        assertThat(out).contains("RENEGOTIATING").containsAnyOf("alert handshake failure", "alert no renegotiation");
    }

    @Test
    void sessionResumptionCanBeSwitchedOff() throws Exception {
        try (TestServer off = new TestServer(new TlsTransportFactory(ec,
                settings.withSessionResumption(false)), TestServer.Mode.HTTP, 10_000, null,
                "x".getBytes(StandardCharsets.US_ASCII))) {
            for (String version : List.of("-tls1_3", "-tls1_2")) {
                assertThat(secondConnection(ecServer, version)).as("resumption on, %s", version)
                        .contains("Reused, TLSv1.");
                assertThat(secondConnection(off, version)).as("resumption off, %s", version)
                        .contains("New, TLSv1.").doesNotContain("Reused, TLSv1.");
            }
        }
    }

    /** Connects twice, offering the first connection's session (ID or ticket) the second time. */
    private String secondConnection(TestServer server, String version) throws Exception {
        Path session = Files.createTempFile(dir, "session", ".pem");
        Files.delete(session);
        sClient(server, "ec", REQUEST, version, "-sess_out", session.toString());
        if (!Files.exists(session)) {
            // No TLS 1.3 ticket was issued at all (resumption off): nothing to offer.
            return sClient(server, "ec", REQUEST, version);
        }
        return sClient(server, "ec", REQUEST, version, "-sess_in", session.toString());
    }

    @Test
    void curlDownloadsAFileSentInRecordSizedChunks() throws Exception {
        Path got = dir.resolve("got.bin");
        List<String> r = Clients.run(List.of("curl", "-sS", "--max-time", "60", "--cacert",
                dir.resolve("rsa/cert.pem").toString(), "-o", got.toString(), "-w", "%{http_version} %{size_download}",
                "https://localhost:" + rsaServer.port() + "/"), null, 90);
        assertThat(r.get(0)).as(r.get(1)).isEqualTo("0");
        assertThat(r.get(1)).isEqualTo("1.1 " + Files.size(file));
        assertThat(Arrays.equals(Files.readAllBytes(got), Files.readAllBytes(file))).isTrue();
    }

    @Test
    void reloadServesTheNewPairToNewConnectionsAndRejectsABadOne() throws Exception {
        KeyMaterial first = KeyMaterial.selfSigned();
        KeyMaterial second = KeyMaterial.selfSigned();
        first.writePem(dir.resolve("first"));
        second.writePem(dir.resolve("second"));
        TlsTransportFactory factory = new TlsTransportFactory(first, settings);
        try (TestServer s = new TestServer(factory, TestServer.Mode.HTTP, 10_000, null,
                "r".getBytes(StandardCharsets.US_ASCII))) {
            assertThat(sClient(s, "first", REQUEST)).contains("Verify return code: 0 (ok)");
            assertThat(factory.reload(dir.resolve("second/key.pem"), dir.resolve("second/cert.pem"), null)).isTrue();
            assertThat(sClient(s, "second", REQUEST)).contains("Verify return code: 0 (ok)");
            assertThat(sClient(s, "first", REQUEST)).doesNotContain("Verify return code: 0 (ok)");
            // A key that does not match its certificate is rejected; the second pair stays in use.
            assertThat(factory.reload(dir.resolve("first/key.pem"), dir.resolve("second/cert.pem"), null)).isFalse();
            assertThat(factory.material().fingerprintSha256()).isEqualTo(second.fingerprintSha256());
            assertThat(sClient(s, "second", REQUEST)).contains("Verify return code: 0 (ok)");
        }
    }

    private String sClient(TestServer server, String certDir, String stdin, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + server.port(),
                "-servername", "localhost", "-CAfile", dir.resolve(certDir + "/cert.pem").toString(), "-ign_eof"));
        cmd.addAll(List.of(extra));
        if (stdin.startsWith("R")) {
            cmd.remove("-ign_eof"); // these must end at the end of their input
        }
        return Clients.run(cmd, stdin, 30).get(1);
    }
}
