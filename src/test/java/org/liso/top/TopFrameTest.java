package org.liso.top;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopFrameTest {
    private static Metrics scrape(long ok, long notFound, long in, long out, long badGateway, double p99) {
        return Metrics.parse("""
                liso_draining 0
                liso_http_requests_total{protocol="HTTP/1.1",code="2xx"} %d
                liso_http_requests_total{protocol="HTTP/1.1",code="4xx"} %d
                liso_http_requests_total{protocol="HTTP/1.1",code="5xx"} %d
                liso_http_server_errors_total{cause="bad_gateway"} %d
                liso_http_server_errors_total{cause="handler_fault"} 0
                liso_received_bytes_total %d
                liso_sent_bytes_total %d
                liso_connections_accepted_total 4
                liso_connections_open{state="idle"} 3
                liso_connections_open{state="active"} 1
                liso_tls_handshakes_total{result="full"} 0
                liso_cgi_running 2
                liso_cgi_started_total 9
                liso_cgi_failed_total 1
                liso_cgi_timeouts_total 0
                liso_loop_lag_seconds{loop="http",quantile="0.5"} 0.000004
                liso_loop_lag_seconds{loop="http",quantile="0.99"} %s
                liso_loop_lag_seconds_sum{loop="http"} 0.5
                liso_loop_lag_seconds_count{loop="http"} 100
                process_open_fds 20
                process_max_fds 1024
                liso_heap_used_bytes 1048576
                liso_heap_max_bytes 268435456
                """.formatted(ok, notFound, badGateway, badGateway, in, out, Double.toString(p99)));
    }

    @Test
    @SuppressWarnings("unchecked")
    void ratesAreDifferencesOverTheInterval() {
        TopFrame f = new TopFrame("http://x/metrics", scrape(100, 10, 1000, 50_000, 0, 0.001),
                scrape(300, 30, 3048, 2_147_483, 4, 0.0025), 2.0);
        Map<String, Object> j = f.toJson();
        assertThat(j.get("requests_per_second")).isEqualTo(112.0); // (300+30+4 - 100-10-0) / 2
        assertThat((Map<String, Object>) j.get("responses_per_second")).containsEntry("2xx", 100.0)
                .containsEntry("4xx", 10.0).containsEntry("5xx", 2.0);
        assertThat(j.get("received_bytes_per_second")).isEqualTo(1024.0);
        assertThat(j.get("server_errors_per_second")).isEqualTo(2.0);
        assertThat((Map<String, Object>) j.get("server_errors_total")).containsExactly(Map.entry("bad_gateway", 4L),
                Map.entry("handler_fault", 0L));
        assertThat((Map<String, Object>) j.get("connections")).containsEntry("idle", 3L).containsEntry("active", 1L);
        assertThat(j.get("connections_open")).isEqualTo(4L);
        Map<String, Object> loop = (Map<String, Object>) ((List<Object>) j.get("loops")).get(0);
        assertThat(loop).containsEntry("loop", "http").containsEntry("lag_p99_seconds", 0.0025);
        assertThat((Map<String, Object>) j.get("cgi")).containsEntry("running", 2L).containsEntry("failed_total", 1L);

        List<String> lines = f.lines("12:00:00", 80);
        assertThat(lines).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(80));
        assertThat(String.join("\n", lines)).contains("requests        112/s", "2xx 100", "4xx 10", "5xx 2",
                "in 1.0 KiB/s", "out 1.0 MiB/s", "4 open:", "idle 3", "since start: bad_gateway 4\n", "p99 2.5 ms",
                "running 2", "fds 20 / 1024", "heap 1.0 MiB / 256.0 MiB");
    }

    @Test
    void aRestartedServerCountsFromZeroNotBackwards() {
        TopFrame f = new TopFrame("u", scrape(1000, 0, 0, 0, 0, 0), scrape(10, 0, 0, 0, 0, 0), 1.0);
        assertThat(f.toJson().get("requests_per_second")).isEqualTo(10.0);
    }

    @Test
    void theUrlGetsMetricsAppended() {
        assertThat(Top.metricsUrl("http://127.0.0.1:9180/")).isEqualTo("http://127.0.0.1:9180/metrics");
        assertThat(Top.metricsUrl("http://127.0.0.1:9180")).isEqualTo("http://127.0.0.1:9180/metrics");
        assertThat(Top.metricsUrl("127.0.0.1:9180")).isEqualTo("http://127.0.0.1:9180/metrics");
        assertThat(Top.metricsUrl("http://h:1/metrics")).isEqualTo("http://h:1/metrics");
    }
}
