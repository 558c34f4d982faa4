package org.liso.top;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsTest {
    private static final String TEXT = """
            # HELP liso_http_requests_total Responses sent.
            # TYPE liso_http_requests_total counter
            liso_http_requests_total{protocol="HTTP/1.1",code="2xx"} 10
            liso_http_requests_total{protocol="HTTP/1.0",code="2xx"} 2
            liso_http_requests_total{protocol="HTTP/1.1",code="4xx"} 3 1700000000000
            liso_weird{path="a \\"quoted\\" \\\\ value\\n",x="y"} 1.5E-6
            liso_draining 0
            liso_inf +Inf
            """;

    @Test
    void readsSamplesLabelsAndValues() {
        Metrics m = Metrics.parse(TEXT);
        assertThat(m.samples()).hasSize(6);
        assertThat(m.sum("liso_http_requests_total")).isEqualTo(15);
        assertThat(m.sum("liso_http_requests_total", "code", "2xx")).isEqualTo(12);
        assertThat(m.by("liso_http_requests_total", "code")).containsExactly(Map.entry("2xx", 12.0),
                Map.entry("4xx", 3.0));
        assertThat(m.value("liso_http_requests_total", "protocol", "HTTP/1.1", "code", "4xx")).isEqualTo(3);
        assertThat(m.samples().get(3).labels()).containsEntry("path", "a \"quoted\" \\ value\n")
                .containsEntry("x", "y");
        assertThat(m.sum("liso_weird")).isEqualTo(1.5e-6);
        assertThat(m.sum("liso_inf")).isInfinite();
        assertThat(m.has("liso_draining")).isTrue();
        assertThat(m.has("liso_nothing")).isFalse();
        assertThat(m.value("liso_http_requests_total", "protocol", "HTTP/2", "code", "2xx")).isNaN();
    }

    @Test
    void aPageThatIsNotMetricsIsAnError() {
        assertThatThrownBy(() -> Metrics.parse("<!doctype html>\n<title>404</title>\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 1");
    }
}
