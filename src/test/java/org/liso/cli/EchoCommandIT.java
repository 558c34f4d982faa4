package org.liso.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.liso.testing.LisoProcess;

/** `liso echo` as a user runs it: serves, stops gracefully on SIGTERM with status 0, explains a failed bind. */
class EchoCommandIT {

    @Test
    void servesAndExitsZeroOnSigterm() throws Exception {
        try (LisoProcess echo = LisoProcess.start(1, "echo", "--port", "0")) {
            try (Socket s = new Socket("127.0.0.1", echo.port(0))) {
                s.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
                s.shutdownOutput();
                assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("ping");
            }
            assertThat(echo.stop()).as("graceful shutdown exit status").isZero();
        }
    }

    @Test
    void anIpv6BindWithoutBracketsIsAccepted() throws Exception {
        try (LisoProcess echo = LisoProcess.start(1, "echo", "--bind", "::1", "--port", "0")) {
            assertThat(echo.url(0)).startsWith("tcp://[::1]:");
            try (Socket s = new Socket("::1", echo.port(0))) {
                s.getOutputStream().write("v6".getBytes(StandardCharsets.US_ASCII));
                s.shutdownOutput();
                assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("v6");
            }
        }
    }

    @Test
    void aBusyPortIsExplainedInOneParagraphWithExit69() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Process p = new ProcessBuilder(LisoProcess.java(), "-jar", LisoProcess.jar().toString(), "echo",
                    "--port", Integer.toString(taken.getLocalPort())).redirectErrorStream(true).start();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.exitValue()).isEqualTo(69);
            assertThat(out).contains("127.0.0.1:" + taken.getLocalPort()).contains("in use")
                    .doesNotContain("\tat ").doesNotContain("Exception");
        }
    }

    @Test
    void anAddressNotOnThisHostIsExplained() throws Exception {
        // TEST-NET-1 (RFC 5737): bound to, never sent to.
        Process p = new ProcessBuilder(LisoProcess.java(), "-jar", LisoProcess.jar().toString(), "echo",
                "--bind", "192.0.2.1", "--port", "0").redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).isEqualTo(69);
        assertThat(out).contains("192.0.2.1").contains("not an address of this host").doesNotContain("\tat ");
    }
}
