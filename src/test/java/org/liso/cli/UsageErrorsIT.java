package org.liso.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.liso.testing.LisoRun;

/** A command line that cannot be parsed gets one line, a plausible suggestion or none, and where the help is; exit 2. */
class UsageErrorsIT {

    @Test
    void aPortFlagFromAnotherServerSuggestsTheAddressFlag() throws Exception {
        LisoRun r = LisoRun.of("serve", "--port", "8181");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errorLines()).containsExactly("liso serve: unknown option '--port'", "Did you mean --http :8181?",
                "Try 'liso serve --help'");
        assertThat(r.stdout()).isEmpty();
        assertThat(LisoRun.of("serve", "--https-port=8443").errorLines()).contains("Did you mean --https :8443?");
    }

    @Test
    void aTypoGetsTheNearestNameAndNonsenseGetsNoGuess() throws Exception {
        assertThat(LisoRun.of("serve", "--max-bdy", "1k").errorLines()).containsExactly(
                "liso serve: unknown option '--max-bdy'", "Did you mean --max-body?", "Try 'liso serve --help'");
        LisoRun far = LisoRun.of("serve", "--frobnicate");
        assertThat(far.exitCode()).isEqualTo(2);
        assertThat(far.errorLines()).containsExactly("liso serve: unknown option '--frobnicate'",
                "Try 'liso serve --help'");
        assertThat(LisoRun.of("echo", "-x").errorLines()).as("no guess for a one-letter option")
                .containsExactly("liso echo: unknown option '-x'", "Try 'liso echo --help'");
        assertThat(LisoRun.of("sevre").errorLines()).containsExactly("liso: unknown command 'sevre'",
                "Did you mean 'liso serve'?", "Try 'liso --help'");
    }

    @Test
    void aBadValueOrAMissingOneIsOneLineToo() throws Exception {
        LisoRun r = LisoRun.of("serve", "--max-body", "10X");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errorLines()).hasSize(2);
        assertThat(r.errorLines().get(0)).startsWith("liso serve: Invalid value for option '--max-body': '10X'");
        assertThat(r.stderr()).doesNotContain("Usage:").doesNotContain("Possible solutions");
        LisoRun missing = LisoRun.of("lisod", "8080");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.errorLines()).hasSize(2).last().isEqualTo("Try 'liso lisod --help'");
    }

    @Test
    void aUsageErrorFoundWhileRunningPointsToTheHelpToo() throws Exception {
        LisoRun r = LisoRun.of("serve", "--server-header", "x", "--no-server-version");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errorLines()).containsExactly("liso serve: --server-header and --no-server-version exclude each other",
                "Try 'liso serve --help'");
    }
}
