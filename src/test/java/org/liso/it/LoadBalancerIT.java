package org.liso.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A smaller run of {@code scripts/lb-demo.sh}: HAProxy in front of two instances with PROXY v2 and health checks,
 * both restarted one after the other under keep-alive and new-connection load. No request may fail, HAProxy must
 * not have needed a retry to hide one, and the access logs must name the client (127.0.0.1), never HAProxy
 * (127.0.0.2).
 */
class LoadBalancerIT {
    @TempDir
    Path dir;

    @Test
    void aRollingRestartBehindHaproxyLosesNoRequest() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("scripts/lb-demo.sh", "30", "2").redirectErrorStream(true);
        pb.environment().put("LB_KEEPALIVE", "4");
        pb.environment().put("LB_NEWCONN", "2");
        pb.environment().put("LB_WORK", dir.toString());
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(240, TimeUnit.SECONDS)).as(out).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("restarted s1", "restarted s2", "lb-demo: OK, 0 failed", "haproxy: retries=0 ")
                .containsPattern("keep-alive +wrk: sent=[1-9][0-9]* answered=[0-9]+ failed=0 statuses=200:")
                .containsPattern("new connection wrk: sent=[1-9][0-9]* answered=[0-9]+ failed=0 statuses=200:")
                .containsPattern("access logs: [1-9][0-9]* load lines from the client 127.0.0.1, 0 from");
    }
}
