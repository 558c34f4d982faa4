package org.liso.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.testing.LisoProcess;
import org.liso.testing.Tool;

/**
 * {@code --error-page} covers the errors the server answers itself, not only the files' own: a head it cannot parse
 * (400), a head too large (431), a body too large (413), a method it does not implement (501), a failed CGI script
 * (502), over HTTP/1.1 and HTTP/2, each with its status and the fields the status requires; a status without a page
 * keeps the built-in one.
 */
class ServerErrorPagesIT {
    @TempDir
    static Path dir;

    private static LisoProcess liso;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        Path www = Files.createDirectories(dir.resolve("www"));
        Files.writeString(www.resolve("index.html"), "home\n");
        for (int status : new int[] {400, 413, 431, 501, 502}) {
            Files.writeString(www.resolve(status + ".html"), "<p>operator page " + status + "</p>\n");
        }
        Path script = dir.resolve("broken.sh");
        Files.writeString(script, "#!/bin/sh\nexit 3\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        List<String> args = new ArrayList<>(List.of("serve", "--root", www.toString(), "--http", "127.0.0.1:0",
                "--h2c", "--loops", "1", "--cgi", script.toString(), "--max-body", "1k", "--max-head", "4k"));
        for (int status : new int[] {400, 413, 431, 501, 502}) {
            args.addAll(List.of("--error-page", status + "=/" + status + ".html"));
        }
        liso = LisoProcess.start(1, args.toArray(String[]::new));
        port = liso.port(0);
    }

    @AfterAll
    static void stop() throws Exception {
        if (liso != null) {
            liso.close();
        }
    }

    @Test
    void aHeadThatDoesNotParseGetsTheOperatorsPage() throws Exception {
        String answer = raw("GET / HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 400 ").contains("Connection: close", "operator page 400");
    }

    @Test
    void aHeadTooLargeGetsTheOperatorsPage() throws Exception {
        String answer = raw("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(8000) + "\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 431 ").contains("operator page 431");
    }

    @Test
    void aBodyTooLargeAndAnUnknownMethodGetTheOperatorsPages() throws Exception {
        assertThat(raw("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 413 ").contains("operator page 413");
        assertThat(raw("BREW / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 501 ").contains("operator page 501");
    }

    @Test
    void aFailedScriptGetsTheOperatorsPageOverBothProtocols() throws Exception {
        String url = "http://127.0.0.1:" + port + "/cgi/x";
        assertThat(curl("-si", url)).startsWith("HTTP/1.1 502").contains("operator page 502");
        assertThat(curl("-si", "--http2-prior-knowledge", url)).startsWith("HTTP/2 502").contains("operator page 502");
        String head = curl("-sI", url);
        assertThat(head).startsWith("HTTP/1.1 502").doesNotContain("operator page");
    }

    @Test
    void aStatusWithoutAPageKeepsTheBuiltInOne() throws Exception {
        String answer = raw("GET / HTTP/3.0\r\nHost: x\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 505 ").doesNotContain("operator page").contains("<title>505 ");
    }

    private static String raw(String request) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static String curl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "--max-time", "20"));
        cmd.addAll(List.of(args));
        return Tool.run(30, cmd).output();
    }
}
