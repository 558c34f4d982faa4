package org.liso.transport.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelfSignedTest {

    @Test
    void loopbackNamesOneYearEcP256() throws Exception {
        KeyMaterial m = KeyMaterial.selfSigned();
        X509Certificate c = m.leaf();
        assertThat(c.getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(c.getSubjectAlternativeNames()).extracting(san -> san.get(1).toString())
                .containsExactlyInAnyOrder("localhost", "127.0.0.1", "0:0:0:0:0:0:0:1");
        Duration valid = Duration.between(c.getNotBefore().toInstant(), c.getNotAfter().toInstant());
        assertThat(valid).isBetween(Duration.ofDays(365), Duration.ofDays(366));
        assertThat(c.getNotBefore().toInstant()).isBefore(Instant.now());
        c.checkValidity();
        c.verify(c.getPublicKey());
    }

    @Test
    void fingerprintMatchesOpenssl(@TempDir Path dir) throws Exception {
        KeyMaterial m = KeyMaterial.selfSigned();
        m.writePem(dir);
        List<String> r = Clients.run(List.of("openssl", "x509", "-in", dir.resolve("cert.pem").toString(),
                "-noout", "-fingerprint", "-sha256"), null, 30);
        assertThat(r.get(1).trim()).isEqualTo("sha256 Fingerprint=" + m.fingerprintSha256());
        assertThat(m.fingerprintSha256()).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
    }

    @Test
    void writtenPairLoadsBackAndTheKeyIsPrivate(@TempDir Path dir) throws Exception {
        KeyMaterial m = KeyMaterial.selfSigned();
        m.writePem(dir.resolve("sub"));
        Path key = dir.resolve("sub/key.pem");
        assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        KeyMaterial back = KeyMaterial.load(key, dir.resolve("sub/cert.pem"), null);
        assertThat(back.fingerprintSha256()).isEqualTo(m.fingerprintSha256());
        // openssl agrees the key belongs to the certificate.
        List<String> k = Clients.run(List.of("openssl", "pkey", "-in", key.toString(), "-pubout"), null, 30);
        List<String> c = Clients.run(List.of("openssl", "x509", "-in", dir.resolve("sub/cert.pem").toString(),
                "-noout", "-pubkey"), null, 30);
        assertThat(k.get(1)).isEqualTo(c.get(1));
    }

    @Test
    void rsaVariantIsAvailable() throws Exception {
        KeyMaterial m = SelfSigned.generate(SelfSigned.Algorithm.RSA_2048);
        assertThat(m.leaf().getPublicKey().getAlgorithm()).isEqualTo("RSA");
        m.leaf().verify(m.leaf().getPublicKey());
    }
}
