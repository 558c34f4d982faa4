package org.liso.transport.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.Log;

/** PEM loading of every key format openssl writes, and the errors a user sees for bad files. */
class KeyMaterialTest {
    private static final char[] PASSWORD = "s3cret pass".toCharArray();

    @TempDir
    static Path dir;

    @BeforeAll
    static void generateWithOpenssl() throws Exception {
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", p("pkcs8-ec.pem"));
        openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", p("pkcs8-rsa.pem"));
        openssl("pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", p("pkcs8-ec.pem"), "-out", p("enc-ec.pem"),
                "-passout", "pass:" + new String(PASSWORD));
        openssl("genrsa", "-traditional", "-out", p("pkcs1-rsa.pem"), "2048");
        openssl("rsa", "-in", p("pkcs1-rsa.pem"), "-traditional", "-aes256", "-passout",
                "pass:" + new String(PASSWORD), "-out", p("legacy-enc-rsa.pem"));
        openssl("ecparam", "-name", "prime256v1", "-genkey", "-out", p("sec1-ec.pem"));
        for (String k : List.of("pkcs8-ec", "pkcs8-rsa", "pkcs1-rsa", "sec1-ec")) {
            openssl("req", "-x509", "-new", "-key", p(k + ".pem"), "-subj", "/CN=localhost", "-days", "30",
                    "-out", p(k + "-cert.pem"));
        }
    }

    @Test
    void pkcs8Keys() throws Exception {
        assertThat(load("pkcs8-ec.pem", "pkcs8-ec-cert.pem", null).leaf().getPublicKey().getAlgorithm())
                .isEqualTo("EC");
        assertThat(load("pkcs8-rsa.pem", "pkcs8-rsa-cert.pem", null).leaf().getPublicKey().getAlgorithm())
                .isEqualTo("RSA");
        assertThat(Files.readString(dir.resolve("pkcs8-ec.pem"))).contains("BEGIN PRIVATE KEY");
    }

    @Test
    void encryptedPkcs8WithPassword() throws Exception {
        assertThat(Files.readString(dir.resolve("enc-ec.pem"))).contains("BEGIN ENCRYPTED PRIVATE KEY");
        KeyMaterial m = load("enc-ec.pem", "pkcs8-ec-cert.pem", PASSWORD);
        assertThat(m.privateKey().getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void encryptedKeyWithoutOrWithWrongPassword() {
        assertThatThrownBy(() -> load("enc-ec.pem", "pkcs8-ec-cert.pem", null))
                .isInstanceOf(TlsConfigException.class)
                .hasMessageContaining(dir.resolve("enc-ec.pem").toString()).hasMessageContaining("password");
        assertThatThrownBy(() -> load("enc-ec.pem", "pkcs8-ec-cert.pem", "wrong".toCharArray()))
                .isInstanceOf(TlsConfigException.class)
                .hasMessageContaining(dir.resolve("enc-ec.pem").toString()).hasMessageContaining("wrong password");
    }

    @Test
    void pkcs1RsaKey() throws Exception {
        assertThat(Files.readString(dir.resolve("pkcs1-rsa.pem"))).contains("BEGIN RSA PRIVATE KEY");
        assertThat(load("pkcs1-rsa.pem", "pkcs1-rsa-cert.pem", null).privateKey().getAlgorithm()).isEqualTo("RSA");
    }

    @Test
    void legacyOpensslEncryptedPkcs1() throws Exception {
        assertThat(Files.readString(dir.resolve("legacy-enc-rsa.pem"))).contains("Proc-Type: 4,ENCRYPTED");
        assertThat(load("legacy-enc-rsa.pem", "pkcs1-rsa-cert.pem", PASSWORD).privateKey().getAlgorithm())
                .isEqualTo("RSA");
    }

    @Test
    void sec1EcKeyAfterEcParameters() throws Exception {
        String text = Files.readString(dir.resolve("sec1-ec.pem"));
        assertThat(text).contains("BEGIN EC PARAMETERS").contains("BEGIN EC PRIVATE KEY");
        assertThat(load("sec1-ec.pem", "sec1-ec-cert.pem", null).privateKey().getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void keyThatDoesNotMatchTheCertificate() {
        assertThatThrownBy(() -> load("pkcs8-ec.pem", "sec1-ec-cert.pem", null))
                .isInstanceOf(TlsConfigException.class)
                .hasMessageContaining(dir.resolve("pkcs8-ec.pem").toString())
                .hasMessageContaining("does not match")
                .hasMessageContaining(dir.resolve("sec1-ec-cert.pem").toString());
        assertThatThrownBy(() -> load("pkcs1-rsa.pem", "pkcs8-ec-cert.pem", null))
                .hasMessageContaining("does not match");
    }

    @Test
    void missingAndUnreadableFiles() {
        assertThatThrownBy(() -> load("nope.pem", "pkcs8-ec-cert.pem", null))
                .isInstanceOf(TlsConfigException.class)
                .hasMessage("key file " + dir.resolve("nope.pem") + " does not exist");
        assertThatThrownBy(() -> load("pkcs8-ec.pem", "nope-cert.pem", null))
                .hasMessage("certificate file " + dir.resolve("nope-cert.pem") + " does not exist");
        assertThatThrownBy(() -> KeyMaterial.load(dir, dir.resolve("pkcs8-ec-cert.pem"), null))
                .isInstanceOf(TlsConfigException.class)
                .hasMessageContaining("key file " + dir).hasMessageContaining("could not be read");
    }

    @Test
    void filesWithoutTheExpectedPemBlocks() throws Exception {
        Files.writeString(dir.resolve("junk.pem"), "hello, not PEM\n");
        assertThatThrownBy(() -> load("junk.pem", "pkcs8-ec-cert.pem", null))
                .hasMessageContaining("contains no PEM private key");
        assertThatThrownBy(() -> load("pkcs8-ec.pem", "junk.pem", null))
                .hasMessageContaining("certificate file " + dir.resolve("junk.pem"))
                .hasMessageContaining("no PEM CERTIFICATE");
        // Key and certificate swapped: a common slip.
        assertThatThrownBy(() -> load("pkcs8-ec-cert.pem", "pkcs8-ec.pem", null))
                .hasMessageContaining("contains no PEM private key");
    }

    @Test
    void expiredCertificateIsServedWithAWarning() throws Exception {
        Instant now = Instant.now();
        KeyMaterial old = SelfSigned.generate(SelfSigned.Algorithm.EC_P256, now.minus(Duration.ofDays(30)),
                now.minus(Duration.ofDays(1)));
        Path out = dir.resolve("expired");
        old.writePem(out);
        List<String> lines = new ArrayList<>();
        Log.Sink before = Log.sink();
        Log.setSink(lines::add);
        KeyMaterial loaded;
        try {
            loaded = KeyMaterial.load(out.resolve("key.pem"), out.resolve("cert.pem"), null);
        } finally {
            Log.setSink(before);
        }
        assertThat(loaded.fingerprintSha256()).isEqualTo(old.fingerprintSha256());
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("WARN").contains("expired")
                .contains(out.resolve("cert.pem").toString()));
        assertThat(new TlsTransportFactory(loaded, TlsSettings.DEFAULT).material()).isSameAs(loaded);
    }

    @Test
    void chainIsReadLeafFirst() throws Exception {
        String chain = Files.readString(dir.resolve("pkcs8-ec-cert.pem")) + Files.readString(
                dir.resolve("pkcs8-rsa-cert.pem"));
        Files.writeString(dir.resolve("chain.pem"), chain);
        KeyMaterial m = load("pkcs8-ec.pem", "chain.pem", null);
        assertThat(m.chain()).hasSize(2);
        assertThat(m.leaf().getPublicKey().getAlgorithm()).isEqualTo("EC");
    }

    private static KeyMaterial load(String key, String cert, char[] password) throws TlsConfigException {
        return KeyMaterial.load(dir.resolve(key), dir.resolve(cert), password);
    }

    private static String p(String name) {
        return dir.resolve(name).toString();
    }

    static void openssl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add("openssl");
        cmd.addAll(List.of(args));
        List<String> r = Clients.run(cmd, null, 60);
        assertThat(r.get(0)).as("openssl %s: %s", String.join(" ", args), r.get(1)).isEqualTo("0");
    }
}
