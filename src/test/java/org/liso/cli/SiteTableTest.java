package org.liso.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which site a Host names: exact, *.parent from the nearest out, then *, else none (421). */
class SiteTableTest {
    @TempDir
    Path dir;

    @Test
    void theHostOfAFieldIsItsNameWithoutPortCaseOrTrailingDot() {
        assertThat(SiteTable.hostOf("Example.ORG:8443")).isEqualTo("example.org");
        assertThat(SiteTable.hostOf("example.org.")).isEqualTo("example.org");
        assertThat(SiteTable.hostOf("[::1]:8080")).isEqualTo("[::1]");
        assertThat(SiteTable.hostOf("[::1")).isEmpty();
        assertThat(SiteTable.hostOf("127.0.0.1:80")).isEqualTo("127.0.0.1");
        assertThat(SiteTable.hostOf(null)).isEmpty();
        assertThat(SiteTable.hostOf("")).isEmpty();
    }

    @Test
    void exactBeatsPatternBeatsDefault() {
        SiteTable t = SiteTable.parse(List.of("example.org=" + dir, "*.example.org=" + dir,
                "*.b.example.org=" + dir, "Www.Example.org.=" + dir, "*=" + dir), null);
        assertThat(t.siteFor("example.org")).isEqualTo("example.org");
        assertThat(t.siteFor("www.example.org")).isEqualTo("www.example.org");
        assertThat(t.siteFor("a.example.org")).isEqualTo("*.example.org");
        assertThat(t.siteFor("x.b.example.org")).isEqualTo("*.b.example.org");
        assertThat(t.siteFor("other.net")).isEqualTo("*");
        assertThat(t.siteFor("")).isEqualTo("*");
        assertThat(t.siteFor("*")).isEqualTo("*");
    }

    @Test
    void withoutADefaultAnUnknownHostHasNoSite() {
        SiteTable t = SiteTable.parse(List.of("a.test=" + dir), null);
        assertThat(t.siteFor("a.test")).isEqualTo("a.test");
        assertThat(t.siteFor("b.test")).isNull();
        assertThat(t.siteFor("")).isNull();
        assertThat(t.fallback()).isNull();
    }

    @Test
    void rootIsTheDefaultSiteUnlessAStarSiteIsGiven() {
        Path other = dir.resolve("..").normalize();
        assertThat(SiteTable.parse(List.of("a.test=" + dir), other).fallback()).isEqualTo(other);
        assertThat(SiteTable.parse(List.of(), other).isEmpty()).isTrue();
        assertThatThrownBy(() -> SiteTable.parse(List.of("*=" + dir), other))
                .hasMessageContaining("--root and --site '*=DIR' both name the default site");
    }

    @Test
    void badValuesAreUsageOrConfigErrors() {
        for (String bad : new String[] {"a.test", "=" + dir, "a.test=", "a b=" + dir, "a_b.test=" + dir,
                "*.=" + dir, "a*.test=" + dir}) {
            assertThatThrownBy(() -> SiteTable.parse(List.of(bad), null)).as(bad).isInstanceOf(CliFailure.class)
                    .satisfies(e -> assertThat(((CliFailure) e).exitCode()).isEqualTo(ExitCodes.USAGE));
        }
        assertThatThrownBy(() -> SiteTable.parse(List.of("a.test=" + dir, "A.test=" + dir), null))
                .hasMessageContaining("given twice");
        assertThatThrownBy(() -> SiteTable.parse(List.of("a.test=" + dir.resolve("missing")), null))
                .satisfies(e -> assertThat(((CliFailure) e).exitCode()).isEqualTo(ExitCodes.CONFIG))
                .hasMessageContaining("is not a readable directory");
    }
}
