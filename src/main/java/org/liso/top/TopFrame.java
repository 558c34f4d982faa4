package org.liso.top;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code liso top} shows of a server: rates from two scrapes {@code seconds} apart, the gauges of the later one.
 * Rendered as the screen's lines or as the {@code --json} document; both carry the same figures.
 */
final class TopFrame {
    private static final String[] CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx"};

    private final String url;
    private final Metrics before;
    private final Metrics now;
    private final double seconds;

    TopFrame(String url, Metrics before, Metrics now, double seconds) {
        this.url = url;
        this.before = before;
        this.now = now;
        this.seconds = seconds;
    }

    /** The per-second rate of counter {@code name}, summed over its series; a restart (a drop) counts from zero. */
    private double rate(String name) {
        return rate(now.sum(name), before.sum(name));
    }

    private double rate(String name, String label, String value) {
        return rate(now.sum(name, label, value), before.sum(name, label, value));
    }

    private double rate(double later, double earlier) {
        double d = later >= earlier ? later - earlier : later;
        return seconds > 0 ? d / seconds : 0;
    }

    /** The figures, in the order the screen shows them; the {@code --json} document as it is written. */
    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("url", url);
        m.put("interval_seconds", round(seconds));
        m.put("draining", now.sum("liso_draining") > 0);
        m.put("requests_per_second", round(rate("liso_http_requests_total")));
        Map<String, Object> byClass = new LinkedHashMap<>();
        for (String c : CLASSES) {
            byClass.put(c, round(rate("liso_http_requests_total", "code", c)));
        }
        m.put("responses_per_second", byClass);
        m.put("requests_total", (long) now.sum("liso_http_requests_total"));
        m.put("received_bytes_per_second", round(rate("liso_received_bytes_total")));
        m.put("sent_bytes_per_second", round(rate("liso_sent_bytes_total")));
        Map<String, Object> conns = new LinkedHashMap<>();
        now.by("liso_connections_open", "state").forEach((k, v) -> conns.put(k, v.longValue()));
        m.put("connections", conns);
        m.put("connections_open", (long) now.sum("liso_connections_open"));
        m.put("accepted_per_second", round(rate("liso_connections_accepted_total")));
        Map<String, Object> tls = new LinkedHashMap<>();
        for (String r : new String[] {"full", "resumed", "failed"}) {
            tls.put(r, round(rate("liso_tls_handshakes_total", "result", r)));
        }
        m.put("tls_handshakes_per_second", tls);
        m.put("server_errors_per_second", round(rate("liso_http_server_errors_total")));
        Map<String, Object> causes = new LinkedHashMap<>();
        now.by("liso_http_server_errors_total", "cause").forEach((k, v) -> causes.put(k, v.longValue()));
        m.put("server_errors_total", causes);
        List<Object> loops = new ArrayList<>();
        for (String loop : now.by("liso_loop_lag_seconds_count", "loop").keySet()) {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("loop", loop);
            l.put("lag_p50_seconds", finite(now.value("liso_loop_lag_seconds", "loop", loop, "quantile", "0.5")));
            l.put("lag_p99_seconds", finite(now.value("liso_loop_lag_seconds", "loop", loop, "quantile", "0.99")));
            // Each loop's own series exist only when there are several; with one, its rate is the total.
            l.put("requests_per_second", now.has("liso_loop_requests_total")
                    ? round(rate("liso_loop_requests_total", "loop", loop))
                    : m.get("requests_per_second"));
            loops.add(l);
        }
        m.put("loops", loops);
        if (now.has("liso_cgi_running")) {
            Map<String, Object> cgi = new LinkedHashMap<>();
            cgi.put("running", (long) now.sum("liso_cgi_running"));
            cgi.put("started_per_second", round(rate("liso_cgi_started_total")));
            cgi.put("failed_total", (long) now.sum("liso_cgi_failed_total"));
            cgi.put("timeouts_total", (long) now.sum("liso_cgi_timeouts_total"));
            m.put("cgi", cgi);
        } else {
            m.put("cgi", null);
        }
        m.put("open_fds", now.has("process_open_fds") ? (long) now.sum("process_open_fds") : null);
        m.put("max_fds", now.has("process_max_fds") ? (long) now.sum("process_max_fds") : null);
        m.put("heap_used_bytes", (long) now.sum("liso_heap_used_bytes"));
        m.put("heap_max_bytes", now.has("liso_heap_max_bytes") ? (long) now.sum("liso_heap_max_bytes") : null);
        return m;
    }

    /** The screen, one string per line, none wider than {@code width}. */
    @SuppressWarnings("unchecked")
    List<String> lines(String clock, int width) {
        Map<String, Object> j = toJson();
        List<String> out = new ArrayList<>();
        out.add("liso top - " + url + "  every " + number((double) j.get("interval_seconds")) + "s  " + clock
                + "  " + ((boolean) j.get("draining") ? "DRAINING" : "serving"));
        out.add("");
        StringBuilder req = new StringBuilder(String.format(Locale.ROOT, "requests  %9s/s  ",
                number((double) j.get("requests_per_second"))));
        ((Map<String, Object>) j.get("responses_per_second")).forEach((c, v) -> {
            if (!c.equals("1xx")) {
                req.append(' ').append(c).append(' ').append(number((double) v));
            }
        });
        req.append("   total ").append(j.get("requests_total"));
        out.add(req.toString());
        out.add("bytes     in " + bytes((double) j.get("received_bytes_per_second")) + "/s   out "
                + bytes((double) j.get("sent_bytes_per_second")) + "/s");
        StringBuilder conn = new StringBuilder("conns     " + j.get("connections_open") + " open:");
        ((Map<String, Object>) j.get("connections"))
                .forEach((k, v) -> conn.append(' ').append(k).append(' ').append(v));
        conn.append("   accepted ").append(number((double) j.get("accepted_per_second"))).append("/s");
        out.add(conn.toString());
        Map<String, Object> tls = (Map<String, Object>) j.get("tls_handshakes_per_second");
        out.add("tls       full " + number((double) tls.get("full")) + "/s  resumed "
                + number((double) tls.get("resumed")) + "/s  failed " + number((double) tls.get("failed")) + "/s");
        StringBuilder errors = new StringBuilder("5xx       " + number((double) j.get("server_errors_per_second"))
                + "/s");
        Map<String, Object> causes = (Map<String, Object>) j.get("server_errors_total");
        if (causes.values().stream().anyMatch(v -> (long) v > 0)) {
            errors.append("   since start:");
            causes.forEach((k, v) -> {
                if ((long) v > 0) {
                    errors.append(' ').append(k).append(' ').append(v);
                }
            });
        }
        out.add(errors.toString());
        Map<String, Object> cgi = (Map<String, Object>) j.get("cgi");
        out.add(cgi == null ? "cgi       off" : "cgi       running " + cgi.get("running") + "   started "
                + number((double) cgi.get("started_per_second")) + "/s   failed " + cgi.get("failed_total")
                + "   timed out " + cgi.get("timeouts_total"));
        for (Object o : (List<Object>) j.get("loops")) {
            Map<String, Object> l = (Map<String, Object>) o;
            out.add("loop lag  " + l.get("loop") + "  p50 " + duration((Double) l.get("lag_p50_seconds")) + "  p99 "
                    + duration((Double) l.get("lag_p99_seconds"))
                    + "   " + number((double) l.get("requests_per_second")) + " req/s");
        }
        Object fds = j.get("open_fds");
        Object maxFds = j.get("max_fds");
        Object heapMax = j.get("heap_max_bytes");
        out.add("process   fds " + (fds == null ? "?" : fds) + " / " + (maxFds == null ? "?" : maxFds) + "   heap "
                + bytes(((Long) j.get("heap_used_bytes")).doubleValue()) + " / "
                + (heapMax == null ? "?" : bytes(((Long) heapMax).doubleValue())));
        List<String> cut = new ArrayList<>(out.size());
        for (String line : out) {
            cut.add(line.length() > width ? line.substring(0, width) : line);
        }
        return cut;
    }

    /** JSON has no NaN nor infinity: an absent figure is null. */
    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v)
                : String.format(Locale.ROOT, "%.1f", v);
    }

    static String bytes(double v) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return (u == 0 ? number(Math.rint(v)) : String.format(Locale.ROOT, "%.1f", v)) + " " + units[u];
    }

    static String duration(Double seconds) {
        if (seconds == null) {
            return "?";
        }
        if (seconds < 1e-3) {
            return String.format(Locale.ROOT, "%.0f us", seconds * 1e6);
        }
        if (seconds < 1) {
            return String.format(Locale.ROOT, "%.1f ms", seconds * 1e3);
        }
        return String.format(Locale.ROOT, "%.2f s", seconds);
    }
}
