package org.liso.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/** {@code --config FILE} and {@code --print-config}: the command's flags read from a TOML file ({@link ConfigFile}). */
final class ConfigFlags {
    /** The options about the file itself, which have no key in it. */
    static final Set<String> OWN = Set.of("--config", "--print-config");

    @Option(names = "--config", paramLabel = "FILE", description = {"Read the flags from a TOML file: each key is a",
            "flag's name without the dashes (max-body = \"10M\", list-dirs = true, header = [\"A: b\"]); flags",
            "given on the command line win. Unknown keys are errors with their line. SIGHUP re-reads it and",
            "applies what can change while serving (sites, site certificates, response headers, log level)."})
    Path file;

    @Option(names = "--print-config", description = "Print the effective configuration (file and flags) as TOML that --config reads back, and exit.")
    boolean print;

    /** Where the merged command's values came from; set on the command the file was merged into. */
    Source source;

    /**
     * The file and the command line it was merged with, kept to merge them again on SIGHUP.
     *
     * @param given the long names of the options the command line gave (they win over the file)
     */
    record Source(Path file, List<String> commandLine, Set<String> given) {
        static Source of(CommandSpec spec, Path file) {
            CommandLine.ParseResult r = spec.commandLine().getParseResult();
            List<String> args = new ArrayList<>(r.originalArgs());
            // A subcommand's parse result may list the whole command line: keep what follows the command's name.
            int own = args.indexOf(spec.name());
            if (own >= 0 && spec.parent() != null) {
                args = new ArrayList<>(args.subList(own + 1, args.size()));
            }
            Set<String> given = r.matchedOptions().stream().map(OptionSpec::longestName).collect(Collectors.toSet());
            return new Source(file, List.copyOf(args), Set.copyOf(given));
        }
    }

    /**
     * Parses the file's arguments, then the command line's, into {@code command} (a new instance of the command).
     *
     * @throws CliFailure config (78) for a problem in the file, with its line; usage (2) for one on the command line
     */
    static CommandLine parse(Object command, Source source) {
        CommandLine cl = new CommandLine(command);
        Main.registerConverters(cl);
        CommandSpec spec = cl.getCommandSpec();
        List<ConfigFile.Entry> entries = ConfigFile.read(source.file(), spec);
        List<ConfigFile.Entry> used = entries.stream()
                .filter(e -> !source.given().contains(e.option().longestName())).toList();
        List<String> args = new ArrayList<>(ConfigFile.arguments(used));
        args.addAll(source.commandLine());
        try {
            cl.parseArgs(args.toArray(new String[0]));
        } catch (CommandLine.ParameterException e) {
            String name = e.getArgSpec() instanceof OptionSpec o ? o.longestName() : null;
            for (ConfigFile.Entry entry : used) {
                if (entry.option().longestName().equals(name)) {
                    throw new CliFailure(ExitCodes.CONFIG, entry.where(source.file()) + ": " + entry.key() + ": "
                            + UsageHints.problem(e));
                }
            }
            throw new CliFailure(ExitCodes.USAGE, UsageHints.problem(e));
        }
        return cl;
    }
}
