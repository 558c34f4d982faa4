package org.liso.transport.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pair a ClientHello's server name gets: the site's (exact, then *.parent), else the default; never a wrong type. */
class SniKeyManagerTest {
    private static final KeyMaterial DEFAULT = KeyMaterial.selfSigned();
    private static final KeyMaterial SITE = KeyMaterial.selfSigned();
    private static final KeyMaterial RSA = KeyMaterial.selfSignedRsa();

    private final SniKeyManager km = new SniKeyManager(DEFAULT,
            Map.of("a.test", SITE, "*.b.test", SITE, "rsa.test", RSA));

    @Test
    void theNameChoosesTheAlias() {
        assertThat(km.aliasFor("a.test")).isEqualTo("site:a.test");
        assertThat(km.aliasFor("A.Test.")).isEqualTo("site:a.test");
        assertThat(km.aliasFor("x.y.b.test")).isEqualTo("site:*.b.test");
        assertThat(km.aliasFor("b.test")).isEqualTo(SniKeyManager.DEFAULT_ALIAS);
        assertThat(km.aliasFor("other.test")).isEqualTo(SniKeyManager.DEFAULT_ALIAS);
        assertThat(km.aliasFor(null)).isEqualTo(SniKeyManager.DEFAULT_ALIAS);
    }

    @Test
    void eachAliasGivesItsOwnPairAndOnlyForItsKeyType() {
        assertThat(km.getCertificateChain("site:a.test")[0]).isEqualTo(SITE.leaf());
        assertThat(km.getPrivateKey("site:rsa.test")).isEqualTo(RSA.privateKey());
        assertThat(km.getCertificateChain(SniKeyManager.DEFAULT_ALIAS)[0]).isEqualTo(DEFAULT.leaf());
        assertThat(km.getServerAliases("RSA", null)).containsExactly("site:rsa.test");
        assertThat(km.getServerAliases("EC", null)).containsExactlyInAnyOrder("default", "site:a.test",
                "site:*.b.test");
        assertThat(km.getCertificateChain("site:nothing")).isNull();
        assertThat(km.chooseEngineClientAlias(new String[] {"EC"}, null, null)).isNull();
    }
}
