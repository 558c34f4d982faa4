package org.liso.transport.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.liso.Log;

/**
 * A private key and its certificate chain (leaf first), checked to belong together. Immutable.
 */
public final class KeyMaterial {
    private static final String LOG = "tls";

    private final PrivateKey key;
    private final List<X509Certificate> chain;
    private final String source;

    KeyMaterial(PrivateKey key, List<X509Certificate> chain, String source) {
        this.key = key;
        this.chain = List.copyOf(chain);
        this.source = source;
    }

    /**
     * Loads a PEM private key (PKCS#8, encrypted PKCS#8, PKCS#1 RSA or SEC1 EC) and a PEM certificate chain, leaf
     * first. An expired or not-yet-valid leaf is logged as a warning and still served.
     *
     * @param password for an encrypted key; null or empty when the key is not encrypted
     * @throws TlsConfigException naming the file and the problem: missing, unreadable, not PEM, wrong password, or
     *         a key that does not match the leaf certificate
     */
    public static KeyMaterial load(Path key, Path cert, char[] password) throws TlsConfigException {
        PrivateKey k = PemFiles.readPrivateKey(key, password);
        List<X509Certificate> chain = PemFiles.readCertificates(cert);
        X509Certificate leaf = chain.get(0);
        if (!matches(k, leaf.getPublicKey())) {
            throw new TlsConfigException("key file " + key + " does not match the certificate in " + cert
                    + " (leaf subject " + leaf.getSubjectX500Principal().getName() + ")");
        }
        warnIfNotValidNow(leaf, cert);
        return new KeyMaterial(k, chain, cert.toString());
    }

    /** A fresh EC P-256 self-signed certificate for localhost, 127.0.0.1 and ::1, valid for one year. */
    public static KeyMaterial selfSigned() {
        return SelfSigned.generate(SelfSigned.Algorithm.EC_P256);
    }

    /** The same with an RSA 2048 key, for clients or benchmarks that want RSA. */
    public static KeyMaterial selfSignedRsa() {
        return SelfSigned.generate(SelfSigned.Algorithm.RSA_2048);
    }

    /** SHA-256 of the leaf certificate's DER encoding, as colon-separated upper-case hex (openssl's format). */
    public String fingerprintSha256() {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(leaf().getEncoded());
            StringBuilder sb = new StringBuilder(d.length * 3);
            for (byte b : d) {
                if (sb.length() > 0) {
                    sb.append(':');
                }
                sb.append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
            return sb.toString();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    /**
     * Writes {@code key.pem} (unencrypted PKCS#8, mode 0600 where the file system has POSIX modes) and
     * {@code cert.pem} (the chain) into {@code dir}, creating it if needed. Each file is written to a temporary
     * name and moved into place, so a reader never sees half a file.
     */
    public void writePem(Path dir) throws IOException {
        Files.createDirectories(dir);
        StringWriter k = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(k)) {
            w.writeObject(new JcaPKCS8Generator(key, null));
        }
        StringWriter c = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(c)) {
            for (X509Certificate x : chain) {
                w.writeObject(x);
            }
        }
        writeAtomically(dir.resolve("key.pem"), k.toString(), true);
        writeAtomically(dir.resolve("cert.pem"), c.toString(), false);
    }

    public X509Certificate leaf() {
        return chain.get(0);
    }

    public List<X509Certificate> chain() {
        return chain;
    }

    PrivateKey privateKey() {
        return key;
    }

    /** Where this came from: the certificate file, or "self-signed". */
    public String source() {
        return source;
    }

    public Instant notAfter() {
        return leaf().getNotAfter().toInstant();
    }

    /** One line for a start-up log: subject, expiry, fingerprint. */
    public String describe() {
        return leaf().getSubjectX500Principal().getName() + " key=" + key.getAlgorithm() + " not_after="
                + notAfter() + " sha256=" + fingerprintSha256();
    }

    /** Proves possession: a signature made with {@code key} verifies under the certificate's public key. */
    private static boolean matches(PrivateKey key, PublicKey pub) {
        if (!key.getAlgorithm().equals(pub.getAlgorithm())) {
            return false;
        }
        String alg = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
            case "RSASSA-PSS" -> "RSASSA-PSS";
            default -> null;
        };
        if (alg == null) {
            return false;
        }
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature s = Signature.getInstance(alg);
            if (alg.equals("RSASSA-PSS")) {
                s.setParameter(new java.security.spec.PSSParameterSpec("SHA-256", "MGF1",
                        java.security.spec.MGF1ParameterSpec.SHA256, 32, 1));
            }
            s.initSign(key);
            s.update(challenge);
            byte[] sig = s.sign();
            s.initVerify(pub);
            s.update(challenge);
            return s.verify(sig);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static void warnIfNotValidNow(X509Certificate leaf, Path file) {
        try {
            leaf.checkValidity();
        } catch (CertificateExpiredException e) {
            Log.warn(LOG, "certificate has expired; serving it anyway, clients will reject it", "file", file,
                    "not_after", leaf.getNotAfter().toInstant());
        } catch (CertificateNotYetValidException e) {
            Log.warn(LOG, "certificate is not valid yet; serving it anyway, clients will reject it", "file", file,
                    "not_before", leaf.getNotBefore().toInstant());
        }
    }

    private static void writeAtomically(Path target, String text, boolean secret) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        if (secret && tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.writeString(tmp, text, StandardCharsets.US_ASCII);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
