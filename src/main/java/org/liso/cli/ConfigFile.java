package org.liso.cli;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A configuration file that is the flags, written down (TOML 1.0): every long option of the command is a key, its
 * name without the dashes ({@code --max-body 10M} is {@code max-body = "10M"}), so an option added to the command
 * has its key without a line here. A table is a prefix: {@code [cgi]} with {@code timeout = "10s"} is
 * {@code cgi-timeout}. A repeatable option takes a list; a switch takes {@code true} or {@code false}.
 *
 * <p>The file becomes arguments placed before the command line's, and an option given on the command line drops
 * the file's value for it (a list too: {@code --header} replaces the file's headers rather than adding to them).
 * Paths are read as on the command line, from the working directory.
 *
 * <p>An unknown key, a value of the wrong shape or a TOML syntax error is a configuration error naming the file,
 * the line and the column, every one of them at once.
 */
final class ConfigFile {
    /** At most this many problems are listed; a file that is not TOML at all would give one per line. */
    private static final int MAX_PROBLEMS = 20;

    /** One key of the file: its option, the values as the command line would spell them, and where it was. */
    record Entry(String key, OptionSpec option, List<String> values, int line, int column) {
        String where(Path file) {
            return file + ":" + line + ":" + column;
        }
    }

    private ConfigFile() {
    }

    /** The key of an option: its longest name without the leading dashes; null for help, version and the file's own. */
    static String keyOf(OptionSpec o) {
        if (o.usageHelp() || o.versionHelp() || ConfigFlags.OWN.contains(o.longestName())) {
            return null;
        }
        return o.longestName().replaceFirst("^-+", "");
    }

    /** Every key {@code spec} has, in the order its options are declared. */
    static Map<String, OptionSpec> keys(CommandSpec spec) {
        Map<String, OptionSpec> keys = new LinkedHashMap<>();
        for (OptionSpec o : spec.options()) {
            String key = keyOf(o);
            if (key != null) {
                keys.put(key, o);
            }
        }
        return keys;
    }

    /**
     * Reads {@code file} against the options of {@code spec}.
     *
     * @throws CliFailure config (78) listing every problem with its line and column, or the file unreadable
     */
    static List<Entry> read(Path file, CommandSpec spec) {
        TomlParseResult toml;
        try {
            toml = Toml.parse(file);
        } catch (IOException e) {
            throw new CliFailure(ExitCodes.CONFIG, "cannot read configuration file " + file + ": " + e.getMessage());
        }
        List<String> problems = new ArrayList<>();
        for (TomlParseError e : toml.errors()) {
            problems.add(at(file, e.position()) + ": " + e.getMessage().replaceFirst(" \\(line \\d+, column \\d+\\)$", ""));
        }
        Map<String, OptionSpec> keys = keys(spec);
        List<Entry> entries = new ArrayList<>();
        if (problems.isEmpty()) {
            for (Map.Entry<List<String>, Object> e : toml.entryPathSet()) {
                List<String> path = e.getKey();
                String key = String.join("-", path);
                TomlPosition pos = toml.inputPositionOf(path);
                String where = at(file, pos);
                OptionSpec option = keys.get(key);
                if (option == null) {
                    problems.add(where + ": unknown key '" + key + "'" + suggestion(key, keys.keySet()));
                    continue;
                }
                try {
                    entries.add(new Entry(key, option, values(option, e.getValue()), pos.line(), pos.column()));
                } catch (IllegalArgumentException bad) {
                    problems.add(where + ": " + key + " " + bad.getMessage());
                }
            }
        }
        if (!problems.isEmpty()) {
            List<String> shown = problems.size() > MAX_PROBLEMS ? problems.subList(0, MAX_PROBLEMS) : problems;
            String more = problems.size() > shown.size() ? "\n(and " + (problems.size() - shown.size()) + " more)" : "";
            String head = problems.size() == 1 ? "" : file + " has " + problems.size() + " problems:\n";
            throw new CliFailure(ExitCodes.CONFIG, head + String.join("\n", shown) + more);
        }
        return entries;
    }

    /** " (did you mean list-dirs?)" for a near miss, else "". */
    private static String suggestion(String key, java.util.Collection<String> keys) {
        return keys.stream().filter(k -> UsageHints.isClose(key, k))
                .min(java.util.Comparator.comparingInt(k -> UsageHints.editDistance(key, k)))
                .map(k -> " (did you mean " + k + "?)").orElse("");
    }

    private static String at(Path file, TomlPosition pos) {
        return pos == null ? file.toString() : file + ":" + pos.line() + ":" + pos.column();
    }

    /** The value of a key as the strings a command line would give; a switch's false is no string at all. */
    private static List<String> values(OptionSpec option, Object value) {
        if (option.arity().max() == 0) {
            if (!(value instanceof Boolean on)) {
                throw new IllegalArgumentException("is a switch: true or false, not " + describe(value));
            }
            if (!on && Boolean.TRUE.equals(option.initialValue())) {
                throw new IllegalArgumentException("is on by default and cannot be turned off by false");
            }
            return on ? List.of("true") : List.of();
        }
        if (value instanceof TomlArray array) {
            if (!option.isMultiValue()) {
                throw new IllegalArgumentException("takes one value, not a list");
            }
            List<String> out = new ArrayList<>();
            for (int i = 0; i < array.size(); i++) {
                out.add(scalar(array.get(i)));
            }
            return out;
        }
        return List.of(scalar(value));
    }

    private static String scalar(Object value) {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Long || value instanceof Boolean) {
            return value.toString();
        }
        if (value instanceof Double d && Double.isFinite(d)) {
            return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        }
        throw new IllegalArgumentException("wants a string, a number or a boolean, not " + describe(value));
    }

    private static String describe(Object value) {
        if (value instanceof TomlTable) {
            return "a table";
        }
        if (value instanceof TomlArray) {
            return "a list";
        }
        return value instanceof String ? "a string" : value.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The arguments {@code entries} stand for: {@code --key=value} for each value (so that a value starting with a
     * dash stays a value), {@code --key} for a switch that is on.
     */
    static List<String> arguments(List<Entry> entries) {
        List<String> args = new ArrayList<>();
        for (Entry e : entries) {
            String name = e.option().longestName();
            if (e.option().arity().max() == 0) {
                if (!e.values().isEmpty()) {
                    args.add(name);
                }
                continue;
            }
            for (String v : e.values()) {
                args.add(name + "=" + v);
            }
        }
        return args;
    }
}
