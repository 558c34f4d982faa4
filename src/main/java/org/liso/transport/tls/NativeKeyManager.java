package org.liso.transport.tls;

import java.io.ByteArrayInputStream;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The server's one key pair, held as the native engine's own key and certificate objects. Conscrypt asks the key
 * manager for the key on every handshake; a JDK key it would parse from PKCS#8 into a fresh BoringSSL key each time
 * (and redo the RSA Montgomery and blinding set-up with it), a key made by its own {@link KeyFactory} it uses as is.
 * Measured with HandshakeCost: that re-parse was about a third of an RSA TLS 1.3 handshake's server CPU.
 */
final class NativeKeyManager extends X509ExtendedKeyManager {
    private static final String ALIAS = "liso";

    private final PrivateKey key;
    private final X509Certificate[] chain;

    NativeKeyManager(KeyMaterial material, Provider provider) throws GeneralSecurityException {
        PrivateKey k = material.privateKey();
        this.key = KeyFactory.getInstance(k.getAlgorithm(), provider)
                .generatePrivate(new PKCS8EncodedKeySpec(k.getEncoded()));
        CertificateFactory cf = CertificateFactory.getInstance("X.509", provider);
        this.chain = new X509Certificate[material.chain().size()];
        for (int i = 0; i < chain.length; i++) {
            chain[i] = (X509Certificate) cf.generateCertificate(
                    new ByteArrayInputStream(material.chain().get(i).getEncoded()));
        }
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return chooseServerAlias(keyType, issuers, null);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return keyType == null || keyType.equals(key.getAlgorithm()) || keyType.startsWith(key.getAlgorithm() + "_")
                ? ALIAS : null;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        String a = chooseServerAlias(keyType, issuers, null);
        return a == null ? null : new String[] {a};
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return ALIAS.equals(alias) ? chain.clone() : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return ALIAS.equals(alias) ? key : null;
    }

    /** A server that never asks for client certificates has no client aliases. */
    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }
}
