package org.liso.transport.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.StandardConstants;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Picks the certificate by the name the client asked for in its TLS ClientHello (SNI, RFC 6066 §3): one key pair per
 * site, the default pair for a client that sends no name or a name no site has. A name is looked up exactly, then as
 * {@code *.parent} for each parent domain ({@code a.b.example.org} tries {@code *.b.example.org}, then
 * {@code *.example.org}), the way the virtual hosts are looked up.
 *
 * <p>JSSE asks once per key type it could use (in the client's signature-algorithm order); a pair whose key is of
 * another type is not offered, so a site with an RSA certificate is never answered with the default EC one just
 * because the client listed ECDSA first.
 */
final class SniKeyManager extends X509ExtendedKeyManager {
    static final String DEFAULT_ALIAS = "default";
    private static final String SITE_PREFIX = "site:";

    private final Map<String, KeyMaterial> byAlias = new HashMap<>();

    /** @param sites by lower-case host name or {@code *.parent} pattern */
    SniKeyManager(KeyMaterial fallback, Map<String, KeyMaterial> sites) {
        byAlias.put(DEFAULT_ALIAS, fallback);
        sites.forEach((name, material) -> byAlias.put(SITE_PREFIX + name.toLowerCase(Locale.ROOT), material));
    }

    /** The alias for {@code serverName} (null: none sent), before the key type is considered. */
    String aliasFor(String serverName) {
        if (serverName == null) {
            return DEFAULT_ALIAS;
        }
        String name = serverName.toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        if (byAlias.containsKey(SITE_PREFIX + name)) {
            return SITE_PREFIX + name;
        }
        for (int dot = name.indexOf('.'); dot >= 0; dot = name.indexOf('.', dot + 1)) {
            String pattern = SITE_PREFIX + "*" + name.substring(dot);
            if (byAlias.containsKey(pattern)) {
                return pattern;
            }
        }
        return DEFAULT_ALIAS;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return choose(keyType, engine == null ? null : engine.getHandshakeSession());
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return choose(keyType, socket instanceof SSLSocket s ? s.getHandshakeSession() : null);
    }

    private String choose(String keyType, SSLSession handshake) {
        String alias = aliasFor(requestedName(handshake));
        return fits(byAlias.get(alias), keyType) ? alias : null;
    }

    static String requestedName(SSLSession handshake) {
        if (!(handshake instanceof ExtendedSSLSession session)) {
            return null;
        }
        for (SNIServerName n : session.getRequestedServerNames()) {
            if (n.getType() == StandardConstants.SNI_HOST_NAME && n instanceof SNIHostName host) {
                return host.getAsciiName();
            }
        }
        return null;
    }

    /** JSSE names key types as keys name their algorithm ("EC", "RSA", "RSASSA-PSS"; TLS 1.2 ECDH as "EC_RSA"). */
    private static boolean fits(KeyMaterial m, String keyType) {
        if (m == null || keyType == null) {
            return false;
        }
        String wanted = keyType.contains("_") ? keyType.substring(0, keyType.indexOf('_')) : keyType;
        return normal(m.privateKey().getAlgorithm()).equals(normal(wanted));
    }

    private static String normal(String algorithm) {
        return switch (algorithm.toUpperCase(Locale.ROOT)) {
            case "ECDSA" -> "EC";
            case "ED25519", "ED448" -> "EDDSA";
            default -> algorithm.toUpperCase(Locale.ROOT);
        };
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        List<String> out = new ArrayList<>();
        byAlias.forEach((alias, m) -> {
            if (fits(m, keyType)) {
                out.add(alias);
            }
        });
        return out.isEmpty() ? null : out.toArray(new String[0]);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        KeyMaterial m = byAlias.get(alias);
        return m == null ? null : m.chain().toArray(new X509Certificate[0]);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        KeyMaterial m = byAlias.get(alias);
        return m == null ? null : m.privateKey();
    }

    /** The server never authenticates as a client. */
    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return null;
    }
}
