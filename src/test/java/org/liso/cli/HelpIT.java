package org.liso.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.testing.LisoProcess;
import picocli.CommandLine;

/**
 * Every command's --help: unwrapped off a terminal, within the terminal's width on one (a pty from script(1)), and
 * every example in it accepted as the shell splits it; the side-effect-free ones (free-port on loopback, cert into
 * a temporary directory) are also run for real.
 */
class HelpIT {
    @TempDir
    Path tmp;

    private static List<String> commands() {
        return Main.COMMANDS.keySet().stream().filter(c -> !c.equals("help")).toList();
    }

    /** The example lines of a command's footer, as written in its annotation. */
    private static List<String> examples(String command) {
        String[] footer = new CommandLine(Main.COMMANDS.get(command).get()).getCommandSpec().usageMessage().footer();
        List<String> out = new ArrayList<>();
        boolean in = false;
        for (String line : footer) {
            if (line.startsWith("%n")) {
                in = line.equals("%nExamples:");
            } else if (in) {
                out.add(line);
            }
        }
        assertThat(out).as("examples of " + command).isNotEmpty();
        return out;
    }

    private static String run(Path dir, Map<String, String> env, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(String.join(" ", cmd)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + ":\n" + out).isZero();
        return out;
    }

    private String help(String command) throws Exception {
        return run(tmp, Map.of(), LisoProcess.java(), "-jar", LisoProcess.jar().toString(), command, "--help");
    }

    @Test
    void offATerminalNothingIsWrapped() throws Exception {
        for (String command : commands()) {
            List<String> lines = help(command).lines().toList();
            assertThat(lines).as(command).containsAll(examples(command));
            String[] description = new CommandLine(Main.COMMANDS.get(command).get()).getCommandSpec()
                    .usageMessage().description();
            for (String d : description) {
                assertThat(lines).as(command + " description").contains(d.replace("%n", ""));
            }
        }
    }

    @Test
    void onATerminalHelpFitsItsWidthAndNoExampleIsBroken() throws Exception {
        String jar = LisoProcess.jar().toString();
        for (int cols : new int[] {80, 100}) {
            for (String command : commands()) {
                String out = run(tmp, Map.of(), "script", "-qec", "stty cols " + cols + " rows 50; exec "
                        + LisoProcess.java() + " -jar " + jar + " " + command + " --help", "/dev/null");
                // picocli colours its help on a terminal; the width is that of the text without the escapes.
                List<String> lines = out.replace("\r", "").replaceAll("\u001B\\[[0-9;]*m", "").lines().toList();
                assertThat(lines).as(command + " at " + cols)
                        .allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(cols));
                assertThat(lines).as(command + " at " + cols).containsAll(examples(command));
            }
        }
    }

    @Test
    void everyExampleIsAcceptedAsTheShellSplitsIt() throws Exception {
        Path calls = Files.createDirectories(tmp.resolve("calls"));
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        script(bin.resolve("liso"), "f=$(mktemp \"$CALLS/call.XXXXXX\")\nprintf '%s\\0' \"$@\" > \"$f\"\necho 12345\n");
        script(bin.resolve("curl"), "exit 0\n");
        script(bin.resolve("nc"), "cat > /dev/null\n");
        Path cwd = Files.createDirectories(tmp.resolve("cwd"));
        script(cwd.resolve("lisod"), "exec liso lisod \"$@\"\n");
        int lisoCalls = 0;
        for (String command : commands()) {
            for (String example : examples(command)) {
                lisoCalls += example.split("liso |\\./lisod ", -1).length - 1;
                run(cwd, Map.of("PATH", bin + ":" + System.getenv("PATH"), "CALLS", calls.toString()),
                        "bash", "-euc", example.strip());
            }
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(calls)) {
            files = s.toList();
        }
        assertThat(files).hasSize(lisoCalls);
        for (Path f : files) {
            String[] args = Files.readString(f).split("\0");
            CommandLine cl = new CommandLine(new Main());
            Main.COMMANDS.forEach((name, c) -> cl.addSubcommand(name, c.get()));
            Main.registerConverters(cl);
            cl.parseArgs(args); // throws a ParameterException for an unknown option or a missing parameter
            assertThat(cl.getParseResult().subcommand()).as(Arrays.toString(args)).isNotNull();
        }
    }

    @Test
    void theHeaderExampleIsValidShell() throws Exception {
        String option = Arrays.stream(new CommandLine(new ServeCommand()).getCommandSpec().findOption("--header")
                .description()).reduce("", (a, b) -> a + " " + b);
        String example = option.substring(option.indexOf("--header ") + "--header ".length(),
                option.indexOf(". X-Content-Type-Options"));
        String out = run(tmp, Map.of(), "bash", "-c", "printf '%s\\n' " + example);
        assertThat(out).isEqualTo("Content-Security-Policy: default-src 'self'\n");
    }

    @Test
    void theSafeExamplesRunForReal() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("real-bin"));
        script(bin.resolve("liso"), "exec '" + LisoProcess.java() + "' -jar '" + LisoProcess.jar() + "' \"$@\"\n");
        int ran = 0;
        for (String command : List.of("free-port", "cert")) {
            for (String example : examples(command)) {
                String line = example.strip();
                if (!line.startsWith("liso " + command) || line.contains("0.0.0.0") || line.indexOf("liso ", 1) > 0) {
                    continue;
                }
                run(tmp, Map.of("PATH", bin + ":" + System.getenv("PATH")), "bash", "-euc", line);
                ran++;
            }
        }
        assertThat(ran).isEqualTo(4);
        assertThat(tmp.resolve("tls/cert.pem")).isRegularFile();
    }

    private static void script(Path path, String body) throws Exception {
        Files.writeString(path, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
