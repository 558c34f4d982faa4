package org.liso.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.liso.http.HttpDate;

class CacheRulesTest {

    @Test
    void globsMatchNamesAndPaths() {
        assertThat(Glob.matches("*.css", "site.css")).isTrue();
        assertThat(Glob.matches("*.css", "site.css.map")).isFalse();
        assertThat(Glob.matches("app.*.js", "app.3f2a.js")).isTrue();
        assertThat(Glob.matches("?.txt", "a.txt")).isTrue();
        assertThat(Glob.matches("?.txt", "ab.txt")).isFalse();
        assertThat(Glob.matches("/assets/*", "/assets/img/x.png")).isTrue();
        assertThat(Glob.matches("*", "")).isTrue();
        assertThat(Glob.matches("a*a*a*a*b", "a".repeat(5000))).isFalse(); // linear, not exponential
    }

    @Test
    void theFirstMatchingRuleWins() {
        CacheRules rules = CacheRules.of(List.of("*.css=max-age=31536000, immutable", "*.html=no-cache",
                "/assets/*=max-age=60"), List.of(new CacheRules.Expiry(null, 3600)));
        assertThat(rules.match("/style/site.CSS").cacheControl).isEqualTo("max-age=31536000, immutable");
        assertThat(rules.match("/index.html").cacheControl).isEqualTo("no-cache");
        assertThat(rules.match("/index.html").expiresSeconds).isEqualTo(-1);
        assertThat(rules.match("/assets/app.js").cacheControl).isEqualTo("max-age=60");
        CacheRules.Rule fallback = rules.match("/logo.png");
        assertThat(fallback.cacheControl).isEqualTo("max-age=3600");
        long expires = HttpDate.parse(fallback.expires());
        assertThat(expires - System.currentTimeMillis()).isBetween(3_598_000L, 3_600_000L);
    }

    @Test
    void withoutRulesNothingMatches() {
        assertThat(CacheRules.NONE.match("/a.css")).isNull();
        assertThat(CacheRules.of(List.of("*.css=no-store"), List.of()).match("/a.js")).isNull();
    }

    @Test
    void badRulesAreRefusedWithTheValue() {
        assertThatThrownBy(() -> CacheRules.of(List.of("no-store"), List.of()))
                .hasMessageContaining("PATTERN=VALUE").hasMessageContaining("'no-store'");
        assertThatThrownBy(() -> CacheRules.of(List.of("*.css="), List.of())).hasMessageContaining("PATTERN=VALUE");
        assertThatThrownBy(() -> CacheRules.of(List.of("*.css=a\nb"), List.of()))
                .hasMessageContaining("control character");
    }
}
