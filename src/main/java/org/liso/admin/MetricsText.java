package org.liso.admin;

import java.util.List;
import org.liso.Liso;
import org.liso.cgi.CgiCounts;
import org.liso.loop.LagHistogram;
import org.liso.server.ConnectionPhase;
import org.liso.server.ErrorCause;
import org.liso.server.LoopSnapshot;

/**
 * The Prometheus text exposition (format 0.0.4) of one scrape: every counter summed over the loops, the loop lag
 * per loop, and, when there are several loops, each one's own requests, bytes and connections. Every series of a
 * known label set is written, zeros included, so a rate over it never starts from a missing series.
 */
final class MetricsText {
    /** The lag quantiles written for each loop. */
    static final double[] QUANTILES = {0.5, 0.99};

    private final StringBuilder out = new StringBuilder(8192);

    private MetricsText() {
    }

    static String render(Scrape.Snapshots scrape, CgiCounts cgi, ProcessGauges process, boolean draining) {
        MetricsText t = new MetricsText();
        t.write(scrape, cgi, process, draining);
        return t.out.toString();
    }

    private void write(Scrape.Snapshots scrape, CgiCounts cgi, ProcessGauges process, boolean draining) {
        List<LoopSnapshot> loops = scrape.loops();
        family("liso_build_info", "gauge", "The running Liso's version.");
        sample("liso_build_info", "version", Liso.VERSION, 1);
        family("liso_draining", "gauge", "1 once a shutdown was asked for (SIGTERM): /healthz answers 503.");
        sample("liso_draining", draining ? 1 : 0);
        family("liso_loops", "gauge", "Event loops serving HTTP.");
        sample("liso_loops", loops.size() + scrape.missing());
        family("liso_scrape_loops_missing", "gauge", "Loops that did not answer this scrape in time (left out).");
        sample("liso_scrape_loops_missing", scrape.missing());

        family("liso_http_requests_total", "counter", "Responses sent, by protocol and status class.");
        for (int p = 0; p < LoopSnapshot.PROTOCOLS.length; p++) {
            for (int c = 1; c <= 5; c++) {
                long n = 0;
                for (LoopSnapshot s : loops) {
                    n += s.responses(p, c);
                }
                sample("liso_http_requests_total", "protocol", LoopSnapshot.PROTOCOLS[p], "code", c + "xx", n);
            }
        }
        family("liso_http_server_errors_total", "counter", "5xx responses, by cause.");
        for (ErrorCause cause : ErrorCause.values()) {
            long n = 0;
            for (LoopSnapshot s : loops) {
                n += s.serverErrors(cause);
            }
            sample("liso_http_server_errors_total", "cause", cause.label(), n);
        }
        long in = 0;
        long sent = 0;
        long accepted = 0;
        long full = 0;
        long resumed = 0;
        long failed = 0;
        for (LoopSnapshot s : loops) {
            in += s.bytesIn();
            sent += s.bytesOut();
            accepted += s.accepted();
            full += s.handshakesFull();
            resumed += s.handshakesResumed();
            failed += s.handshakesFailed();
        }
        family("liso_received_bytes_total", "counter", "Bytes read from clients (after TLS decryption).");
        sample("liso_received_bytes_total", in);
        family("liso_sent_bytes_total", "counter", "Bytes written to clients (before TLS encryption).");
        sample("liso_sent_bytes_total", sent);
        family("liso_connections_accepted_total", "counter", "Connections accepted.");
        sample("liso_connections_accepted_total", accepted);
        family("liso_connections_open", "gauge", "Open connections, by what they are doing.");
        for (ConnectionPhase phase : ConnectionPhase.values()) {
            long n = 0;
            for (LoopSnapshot s : loops) {
                n += s.connections(phase);
            }
            sample("liso_connections_open", "state", phase.label(), n);
        }
        family("liso_tls_handshakes_total", "counter",
                "TLS handshakes: completed full or resumed, or failed (the connection closed before the end).");
        sample("liso_tls_handshakes_total", "result", "full", full);
        sample("liso_tls_handshakes_total", "result", "resumed", resumed);
        sample("liso_tls_handshakes_total", "result", "failed", failed);
        if (cgi != null) {
            cgi(cgi);
        }
        process(process);
        lag(loops);
        if (loops.size() > 1) {
            perLoop(loops);
        }
    }

    private void cgi(CgiCounts cgi) {
        family("liso_cgi_running", "gauge", "CGI scripts running now.");
        sample("liso_cgi_running", cgi.running());
        family("liso_cgi_started_total", "counter", "CGI scripts started.");
        sample("liso_cgi_started_total", cgi.started());
        family("liso_cgi_failed_total", "counter",
                "CGI scripts that gave no valid response (could not start, no or invalid head, output broke off).");
        sample("liso_cgi_failed_total", cgi.failed());
        family("liso_cgi_timeouts_total", "counter", "CGI scripts killed for their --cgi-timeout.");
        sample("liso_cgi_timeouts_total", cgi.timedOut());
    }

    private void process(ProcessGauges p) {
        if (p.openFds() >= 0) {
            family("process_open_fds", "gauge", "Open file descriptors.");
            sample("process_open_fds", p.openFds());
        }
        if (p.maxFds() >= 0) {
            family("process_max_fds", "gauge", "The soft limit of open file descriptors (ulimit -n).");
            sample("process_max_fds", p.maxFds());
        }
        family("liso_heap_used_bytes", "gauge", "Java heap in use.");
        sample("liso_heap_used_bytes", p.heapUsed());
        family("liso_heap_committed_bytes", "gauge", "Java heap committed by the JVM.");
        sample("liso_heap_committed_bytes", p.heapCommitted());
        if (p.heapMax() >= 0) {
            family("liso_heap_max_bytes", "gauge", "The largest the Java heap may grow (-Xmx).");
            sample("liso_heap_max_bytes", p.heapMax());
        }
    }

    private void lag(List<LoopSnapshot> loops) {
        family("liso_loop_lag_seconds", "summary", "Time from readiness (select returning) to its callback, per loop;"
                + " quantiles over the last 10 to 20 seconds.");
        for (LoopSnapshot s : loops) {
            for (double q : QUANTILES) {
                sample("liso_loop_lag_seconds", "loop", s.loop(), "quantile", Double.toString(q),
                        LagHistogram.quantile(s.lagWindow(), q));
            }
            sample("liso_loop_lag_seconds_sum", "loop", s.loop(), s.lagSumNanos() / 1e9);
            sample("liso_loop_lag_seconds_count", "loop", s.loop(), s.lagCount());
        }
    }

    private void perLoop(List<LoopSnapshot> loops) {
        family("liso_loop_requests_total", "counter", "Responses sent, per loop.");
        loops.forEach(s -> sample("liso_loop_requests_total", "loop", s.loop(), s.requests()));
        family("liso_loop_received_bytes_total", "counter", "Bytes read from clients, per loop.");
        loops.forEach(s -> sample("liso_loop_received_bytes_total", "loop", s.loop(), s.bytesIn()));
        family("liso_loop_sent_bytes_total", "counter", "Bytes written to clients, per loop.");
        loops.forEach(s -> sample("liso_loop_sent_bytes_total", "loop", s.loop(), s.bytesOut()));
        family("liso_loop_connections_open", "gauge", "Open connections, per loop.");
        loops.forEach(s -> sample("liso_loop_connections_open", "loop", s.loop(), s.openConnections()));
    }

    private void family(String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private void sample(String name, double value) {
        out.append(name).append(' ');
        value(value);
    }

    private void sample(String name, String label, String labelValue, double value) {
        out.append(name).append('{');
        label(label, labelValue);
        out.append("} ");
        value(value);
    }

    private void sample(String name, String l1, String v1, String l2, String v2, double value) {
        out.append(name).append('{');
        label(l1, v1);
        out.append(',');
        label(l2, v2);
        out.append("} ");
        value(value);
    }

    private void label(String name, String value) {
        out.append(name).append("=\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
        out.append('"');
    }

    private void value(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            out.append((long) v);
        } else {
            out.append(v);
        }
        out.append('\n');
    }
}
