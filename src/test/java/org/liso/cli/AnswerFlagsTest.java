package org.liso.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** serve's compression, caching and error-page flags: a bad value is a one-line usage error, a missing page 78. */
class AnswerFlagsTest {
    @TempDir
    Path root;

    private record Outcome(int exit, String err) {
    }

    private Outcome serve(String... flags) {
        List<String> args = new ArrayList<>(List.of("serve", "--root", root.toString(), "--http", "127.0.0.1:0"));
        args.addAll(List.of(flags));
        PrintStream before = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            return new Outcome(Main.run(args.toArray(String[]::new)), buf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(before);
        }
    }

    @Test
    void badValuesAreUsageErrorsNamingThem() {
        Outcome page = serve("--error-page", "notfound=/404.html");
        assertThat(page.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(page.err()).contains("--error-page wants STATUS=PATH").contains("notfound=/404.html");
        assertThat(serve("--error-page", "200=/ok.html").err()).contains("400-599");
        assertThat(serve("--error-page", "404=404.html").err()).contains("starting with '/'");
        Outcome rule = serve("--cache-control", "no-store");
        assertThat(rule.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(rule.err()).contains("PATTERN=VALUE");
        Outcome expires = serve("--expires", "*.css=5 weeks");
        assertThat(expires.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(expires.err()).contains("--expires wants [PATTERN=]TIME");
        Outcome level = serve("--gzip-level", "12");
        assertThat(level.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(level.err()).contains("gzip level is 1 to 9");
        assertThat(serve("--fallback", "index.html").exit()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void aMissingPageIsAConfigErrorAtStart() throws Exception {
        Outcome page = serve("--error-page", "404=/404.html");
        assertThat(page.exit()).isEqualTo(ExitCodes.CONFIG);
        assertThat(page.err()).contains("--error-page /404.html: no readable file");
        Outcome fallback = serve("--fallback", "/index.html");
        assertThat(fallback.exit()).isEqualTo(ExitCodes.CONFIG);
        assertThat(fallback.err()).contains("--fallback /index.html");
        Files.writeString(root.resolve("404.html"), "lost");
        // The error page is there now; the missing fallback alone still stops the start.
        assertThat(serve("--error-page", "404=/404.html", "--fallback", "/index.html").exit())
                .isEqualTo(ExitCodes.CONFIG);
    }
}
