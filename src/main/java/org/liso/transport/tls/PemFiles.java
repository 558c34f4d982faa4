package org.liso.transport.tls;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads PEM files with Bouncy Castle's parser: private keys as PKCS#8 ({@code PRIVATE KEY}, RFC 5958), encrypted
 * PKCS#8 ({@code ENCRYPTED PRIVATE KEY}, PBES2), PKCS#1 RSA ({@code RSA PRIVATE KEY}, RFC 8017 A.1.2), SEC1 EC
 * ({@code EC PRIVATE KEY}, RFC 5915, possibly after an {@code EC PARAMETERS} block) and OpenSSL's legacy
 * {@code Proc-Type: 4,ENCRYPTED} form; certificates as a chain of {@code CERTIFICATE} blocks, leaf first.
 */
final class PemFiles {
    /**
     * For decrypting keys only (PBES2 names like AES/CBC/PKCS7Padding the JDK lacks); used directly, never
     * registered, so JSSE keeps the JDK's own providers. Built on first use: constructing the provider loads a few
     * hundred classes (~0.2 s of start-up), which a plain key never needs.
     */
    private static final class Bc {
        static final java.security.Provider PROVIDER = new org.bouncycastle.jce.provider.BouncyCastleProvider();
    }
    private static final String KEY_KINDS =
            "PRIVATE KEY, ENCRYPTED PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY";

    private PemFiles() {
    }

    static PrivateKey readPrivateKey(Path file, char[] password) throws TlsConfigException {
        String text = readText(file, "key");
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (PEMParser parser = new PEMParser(new StringReader(text))) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (o instanceof PEMKeyPair pair) {
                    return converter.getKeyPair(pair).getPrivate();
                }
                if (o instanceof PKCS8EncryptedPrivateKeyInfo enc) {
                    requirePassword(file, password);
                    PrivateKeyInfo info = enc.decryptPrivateKeyInfo(
                            new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(Bc.PROVIDER).build(password));
                    return converter.getPrivateKey(info);
                }
                if (o instanceof PEMEncryptedKeyPair enc) {
                    requirePassword(file, password);
                    return converter.getKeyPair(enc.decryptKeyPair(
                            new JcePEMDecryptorProviderBuilder().setProvider(Bc.PROVIDER).build(password))).getPrivate();
                }
                // EC PARAMETERS and anything else before the key: skip.
            }
        } catch (PKCSException | OperatorCreationException | PEMException e) {
            throw new TlsConfigException("key file " + file + " could not be decrypted (wrong password or"
                    + " unsupported encryption): " + rootMessage(e), e);
        } catch (IOException | RuntimeException e) {
            throw new TlsConfigException("key file " + file + " is not a valid PEM private key: " + rootMessage(e),
                    e);
        }
        throw new TlsConfigException("key file " + file + " contains no PEM private key (expected " + KEY_KINDS
                + ")");
    }

    static List<X509Certificate> readCertificates(Path file) throws TlsConfigException {
        String text = readText(file, "certificate");
        return parseCertificates(new StringReader(text), "certificate file " + file);
    }

    static List<X509Certificate> parseCertificates(Reader pem, String what) throws TlsConfigException {
        List<X509Certificate> chain = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (PEMParser parser = new PEMParser(pem)) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof X509CertificateHolder h) {
                    chain.add(converter.getCertificate(h));
                }
            }
        } catch (IOException | CertificateException | RuntimeException e) {
            throw new TlsConfigException(what + " is not a valid PEM certificate chain: " + rootMessage(e), e);
        }
        if (chain.isEmpty()) {
            throw new TlsConfigException(what + " contains no PEM CERTIFICATE block");
        }
        return chain;
    }

    private static void requirePassword(Path file, char[] password) throws TlsConfigException {
        if (password == null || password.length == 0) {
            throw new TlsConfigException("key file " + file + " is encrypted; a password is needed to read it");
        }
    }

    private static String readText(Path file, String kind) throws TlsConfigException {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new TlsConfigException(kind + " file " + file + " does not exist", e);
        } catch (AccessDeniedException e) {
            throw new TlsConfigException(kind + " file " + file + " is not readable (permission denied)", e);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new TlsConfigException(kind + " file " + file + " is not PEM text (binary content; DER?)", e);
        } catch (IOException e) {
            throw new TlsConfigException(kind + " file " + file + " could not be read: " + rootMessage(e), e);
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m;
    }
}
