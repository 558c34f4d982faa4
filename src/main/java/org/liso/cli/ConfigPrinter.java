package org.liso.cli;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The effective configuration of a parsed command as a TOML file that {@code --config} reads back to the same
 * configuration: every key, its value as its option's own type prints it (sizes as {@code 16M}, times as {@code 60s}),
 * its help above it, and an option without a value as a comment.
 */
final class ConfigPrinter {
    private ConfigPrinter() {
    }

    /**
     * Each key's value as the strings a command line would give, null for an option without a value; a switch's value
     * is "true" or "false".
     */
    static Map<String, List<String>> values(CommandSpec spec) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        ConfigFile.keys(spec).forEach((key, option) -> out.put(key, strings(option.getValue())));
        return out;
    }

    private static List<String> strings(Object value) {
        if (value == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        if (value instanceof Collection<?> c) {
            c.forEach(v -> out.add(String.valueOf(v)));
        } else if (value instanceof Map<?, ?> m) {
            m.forEach((k, v) -> out.add(k + "=" + v)); // as a picocli map option is given: --opt KEY=VALUE
        } else if (value.getClass().isArray()) {
            for (int i = 0; i < Array.getLength(value); i++) {
                out.add(String.valueOf(Array.get(value, i)));
            }
        } else {
            out.add(value.toString());
        }
        return out;
    }

    static String toml(CommandSpec spec, String header) {
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(header).append('\n');
        Map<String, List<String>> values = values(spec);
        ConfigFile.keys(spec).forEach((key, option) -> {
            sb.append('\n');
            for (String line : option.description()) {
                sb.append("# ").append(line.replace("${DEFAULT-VALUE}", String.valueOf(option.defaultValueString())))
                        .append('\n');
            }
            List<String> v = values.get(key);
            if (v == null) {
                sb.append("# ").append(key).append(" = (not set)\n");
            } else {
                sb.append(key).append(" = ").append(value(option, v)).append('\n');
            }
        });
        return sb.toString();
    }

    private static String value(OptionSpec option, List<String> v) {
        if (option.isMultiValue()) {
            List<String> items = v.stream().map(s -> scalar(option, s)).toList();
            return "[" + String.join(", ", items) + "]";
        }
        return scalar(option, v.get(0));
    }

    private static String scalar(OptionSpec option, String s) {
        Class<?> t = option.isMultiValue() && option.auxiliaryTypes().length > 0 ? option.auxiliaryTypes()[0]
                : option.type();
        boolean bare = t == boolean.class || t == Boolean.class || t == int.class || t == Integer.class
                || t == long.class || t == Long.class;
        return bare ? s : quote(s);
    }

    /** A TOML 1.0 basic string: quotes, backslashes and control characters escaped. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\t' -> sb.append("\\t");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\u%04X", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
