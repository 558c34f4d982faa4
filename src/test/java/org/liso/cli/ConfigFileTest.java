package org.liso.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/** The configuration file of serve: the flags written down, read against the command's own options. */
class ConfigFileTest {
    @TempDir
    Path dir;

    private Path file(String toml) throws IOException {
        Path f = dir.resolve("liso.toml");
        Files.writeString(f, toml);
        return f;
    }

    /** The file merged with a command line, as serve does it, into a new ServeCommand. */
    private static ServeCommand merged(Path file, String... commandLine) {
        CommandLine cl = new CommandLine(new ServeCommand());
        Main.registerConverters(cl);
        cl.parseArgs(commandLine);
        ServeCommand merged = new ServeCommand();
        ConfigFlags.parse(merged, ConfigFlags.Source.of(cl.getCommandSpec(), file));
        return merged;
    }

    private static CliFailure failure(Path file, String... commandLine) {
        try {
            merged(file, commandLine);
        } catch (CliFailure f) {
            return f;
        }
        throw new AssertionError("no failure for " + file);
    }

    @Test
    void everyOptionOfServeHasTheKeyOfItsLongName() {
        CommandLine cl = new CommandLine(new ServeCommand());
        for (OptionSpec o : cl.getCommandSpec().options()) {
            String key = ConfigFile.keyOf(o);
            if (o.usageHelp() || o.versionHelp() || ConfigFlags.OWN.contains(o.longestName())) {
                assertThat(key).as(o.longestName()).isNull();
            } else {
                assertThat("--" + key).as("key of %s", o.longestName()).isEqualTo(o.longestName());
            }
        }
        assertThat(ConfigFile.keys(cl.getCommandSpec())).containsKeys("root", "http", "max-body", "cgi-timeout",
                "site", "site-cert", "key", "quiet").doesNotContainKeys("config", "print-config", "help", "version");
    }

    /** A flag another mixin adds tomorrow gets its key with no change to the configuration code. */
    @Command(name = "other")
    static final class Other {
        static final class Extra {
            @Option(names = "--gzip-level", paramLabel = "N")
            int gzipLevel = 6;

            @Option(names = "--cache-rule", paramLabel = "GLOB=TIME")
            java.util.Map<String, String> cacheRules;
        }

        @Mixin
        Extra extra;

        @Mixin
        ConfigFlags config;
    }

    @Test
    void aFlagAddedInAMixinHasAKeyWithoutEdits() throws IOException {
        Path f = file("gzip-level = 9\ncache-rule = [\"*.css=1d\", \"*.html=0\"]\n");
        Other o = new Other();
        CommandLine cl = ConfigFlags.parse(o, new ConfigFlags.Source(f, List.of(), Set.of()));
        assertThat(o.extra.gzipLevel).isEqualTo(9);
        assertThat(o.extra.cacheRules).containsEntry("*.css", "1d").containsEntry("*.html", "0");
        assertThat(ConfigPrinter.values(cl.getCommandSpec())).containsEntry("gzip-level", List.of("9"))
                .containsEntry("cache-rule", List.of("*.css=1d", "*.html=0"));
        Path printed = dir.resolve("printed.toml");
        Files.writeString(printed, ConfigPrinter.toml(cl.getCommandSpec(), "test"));
        Other again = new Other();
        ConfigFlags.parse(again, new ConfigFlags.Source(printed, List.of(), Set.of()));
        assertThat(again.extra.cacheRules).isEqualTo(o.extra.cacheRules);
        assertThat(again.extra.gzipLevel).isEqualTo(9);
    }

    @Test
    void valuesOfEveryShapeBecomeTheFlags() throws IOException {
        Path f = file("""
                # a comment
                root = "%s"
                list-dirs = true
                follow-symlinks = false
                list-dirs-max = 50
                max-body = "10M"
                idle-timeout = 1.5
                header = ["X-A: b", "X-C: d"]
                tls.protocols = ["TLSv1.3"]
                [cgi]
                timeout = "10s"
                """.formatted(dir));
        ServeCommand s = merged(f);
        assertThat(s.root).isEqualTo(dir);
        assertThat(s.listDirs).isTrue();
        assertThat(s.followSymlinks).isFalse();
        assertThat(s.listDirsMax).isEqualTo(50);
        assertThat(s.limits.maxBody.bytes()).isEqualTo(10L << 20);
        assertThat(s.limits.idleTimeout.millis()).isEqualTo(1500);
        assertThat(s.headers).containsExactly("X-A: b", "X-C: d");
        assertThat(s.tlsFlags.protocols).containsExactly("TLSv1.3");
        assertThat(s.cgiFlags.timeout.millis()).isEqualTo(10_000);
    }

    @Test
    void theCommandLineWinsOverTheFileAndReplacesItsLists() throws IOException {
        Path f = file("http = \"127.0.0.1:1\"\nheader = [\"X-File: 1\"]\nmax-body = \"1M\"\n");
        ServeCommand s = merged(f, "--http", "127.0.0.1:2", "--header", "X-Flag: 2");
        assertThat(s.http).isEqualTo("127.0.0.1:2");
        assertThat(s.headers).containsExactly("X-Flag: 2");
        assertThat(s.limits.maxBody.bytes()).isEqualTo(1L << 20);
    }

    @Test
    void anUnknownKeyIsAnErrorWithItsLineColumnAndANearMiss() throws IOException {
        Path f = file("http = \":0\"\n\nlist-dir = true\n[cgi]\n  timeot = \"5s\"\nnonsense = 1\n");
        CliFailure e = failure(f);
        assertThat(e.exitCode()).isEqualTo(ExitCodes.CONFIG);
        assertThat(e.getMessage()).contains(f + " has 3 problems")
                .contains(f + ":3:1: unknown key 'list-dir' (did you mean list-dirs?)")
                .contains(f + ":5:3: unknown key 'cgi-timeot' (did you mean cgi-timeout?)")
                .contains(f + ":6:1: unknown key 'cgi-nonsense'");
    }

    @Test
    void aValueOfTheWrongShapeNamesItsLine() throws IOException {
        assertThat(failure(file("\nlist-dirs = \"yes\"\n")).getMessage())
                .isEqualTo(dir.resolve("liso.toml") + ":2:1: list-dirs is a switch: true or false, not a string");
        assertThat(failure(file("http = [\"a\", \"b\"]\n")).getMessage()).contains(":1:1: http takes one value");
        assertThat(failure(file("max-body = 1979-05-27\n")).getMessage())
                .contains(":1:1: max-body wants a string, a number or a boolean, not localdate");
        assertThat(failure(file("max-body = { a = 1 }\n")).getMessage()).contains("unknown key 'max-body-a'");
        CliFailure converted = failure(file("root = \"/\"\n\nmax-body = \"10 parsecs\"\n"));
        assertThat(converted.exitCode()).isEqualTo(ExitCodes.CONFIG);
        assertThat(converted.getMessage()).startsWith(dir.resolve("liso.toml") + ":3:1: max-body: ")
                .contains("'10 parsecs' is not a size");
    }

    @Test
    void aSyntaxErrorNamesItsLine() throws IOException {
        CliFailure e = failure(file("http = \":0\"\nheader = [\"a\",\n\nroot = 1\n"));
        assertThat(e.exitCode()).isEqualTo(ExitCodes.CONFIG);
        assertThat(e.getMessage()).contains(dir.resolve("liso.toml") + ":4:1: Unexpected 'r', expected ]");
        assertThat(failure(dir.resolve("missing.toml")).getMessage()).contains("cannot read configuration file");
    }

    @Test
    void thePrintedConfigurationReadsBackToItself() throws IOException {
        Path f = file("root = \"%s\"\nheader = [\"X-Q: \\\"quoted\\\" \\\\ back\"]\nmax-body = \"3k\"\nlist-dirs = true\n"
                .formatted(dir) + "site = [\"a.test=%s\", \"*=%s\"]\nhsts = \"1d\"\n".formatted(dir, dir));
        ServeCommand first = merged(f, "--idle-timeout", "90s", "--quiet");
        String printed = ConfigPrinter.toml(first.spec, "test");
        assertThat(printed).contains("\nmax-body = \"3k\"\n", "\nidle-timeout = \"90s\"\n", "\nquiet = true\n",
                "\nlist-dirs-max = 10000\n", "\n# cert = (not set)\n", "\nhsts = \"1d\"\n",
                "\nheader = [\"X-Q: \\\"quoted\\\" \\\\ back\"]\n");
        Path again = dir.resolve("printed.toml");
        Files.writeString(again, printed);
        ServeCommand second = merged(again);
        assertThat(ConfigPrinter.toml(second.spec, "test")).isEqualTo(printed);
        assertThat(second.headers).containsExactly("X-Q: \"quoted\" \\ back");
    }
}
