package org.liso.top;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One scrape of a Prometheus text exposition (format 0.0.4), as {@code liso top} reads it: the samples, with their
 * labels, and the questions top asks of them. Comments and timestamps are skipped; a line that is not a sample is an
 * error, since the endpoint should be ours.
 */
final class Metrics {

    /** One sample line. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    private final List<Sample> samples;

    private Metrics(List<Sample> samples) {
        this.samples = samples;
    }

    static Metrics parse(String text) {
        List<Sample> samples = new ArrayList<>();
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            try {
                samples.add(sample(l));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("line " + lineNo + " is not a metric sample: " + l);
            }
        }
        return new Metrics(samples);
    }

    private static Sample sample(String l) {
        int i = 0;
        while (i < l.length() && l.charAt(i) != '{' && l.charAt(i) != ' ' && l.charAt(i) != '\t') {
            i++;
        }
        String name = l.substring(0, i);
        if (name.isEmpty()) {
            throw new IllegalArgumentException("no name");
        }
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < l.length() && l.charAt(i) == '{') {
            i++;
            while (l.charAt(i) != '}') {
                int eq = l.indexOf('=', i);
                String key = l.substring(i, eq).strip();
                int q = eq + 1;
                if (l.charAt(q) != '"') {
                    throw new IllegalArgumentException("unquoted label value");
                }
                StringBuilder v = new StringBuilder();
                int j = q + 1;
                for (; l.charAt(j) != '"'; j++) {
                    char c = l.charAt(j);
                    if (c == '\\') {
                        char n = l.charAt(++j);
                        v.append(n == 'n' ? '\n' : n);
                    } else {
                        v.append(c);
                    }
                }
                labels.put(key, v.toString());
                i = j + 1;
                if (l.charAt(i) == ',') {
                    i++;
                }
                while (l.charAt(i) == ' ') {
                    i++;
                }
            }
            i++;
        }
        String[] rest = l.substring(i).strip().split("[ \t]+");
        return new Sample(name, labels, value(rest[0]));
    }

    private static double value(String s) {
        return switch (s) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(s);
        };
    }

    List<Sample> samples() {
        return samples;
    }

    boolean has(String name) {
        return samples.stream().anyMatch(s -> s.name().equals(name));
    }

    /** The sum of every sample of {@code name}; 0 when there is none. */
    double sum(String name) {
        double n = 0;
        for (Sample s : samples) {
            if (s.name().equals(name)) {
                n += s.value();
            }
        }
        return n;
    }

    /** The sum of the samples of {@code name} whose {@code label} is {@code value}. */
    double sum(String name, String label, String value) {
        double n = 0;
        for (Sample s : samples) {
            if (s.name().equals(name) && value.equals(s.labels().get(label))) {
                n += s.value();
            }
        }
        return n;
    }

    /** The samples of {@code name} summed by their {@code label}'s value, in the order they first appear. */
    Map<String, Double> by(String name, String label) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (Sample s : samples) {
            String v = s.labels().get(label);
            if (s.name().equals(name) && v != null) {
                m.merge(v, s.value(), Double::sum);
            }
        }
        return m;
    }

    /** The value of the sample of {@code name} with exactly these two labels, or NaN. */
    double value(String name, String l1, String v1, String l2, String v2) {
        for (Sample s : samples) {
            if (s.name().equals(name) && v1.equals(s.labels().get(l1)) && v2.equals(s.labels().get(l2))) {
                return s.value();
            }
        }
        return Double.NaN;
    }
}
