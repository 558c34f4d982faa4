package org.liso.cgi;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.liso.testing.LisoProcess;

/**
 * The demo ({@code liso serve} without --root) with secrets in the server's environment: the demo CGI page shows the
 * request's meta-variables only, styled like the demo site, and GET and POST render the same page.
 */
class DemoCgiIT {
    private static final String SECRET = "pyenv-secret-4711";
    private static final String PATH_MARK = "/nonexistent/path-marker-4712";
    private static final String HOME_MARK = "/nonexistent/home-marker-4713";

    private static List<String> all(String html, String regex) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile(regex).matcher(html);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @Test
    void showsMetaVariablesOnlyAndTheSamePageForGetAndPost() throws Exception {
        List<String> cmd = List.of("env", "PYENV_SECRET=" + SECRET, "PYENV_VERSION=" + SECRET,
                "PATH=" + PATH_MARK + ":" + System.getenv("PATH"), "HOME=" + HOME_MARK, LisoProcess.java(),
                "-Xmx256m", "-XX:+UseSerialGC", "-jar", LisoProcess.jar().toString(), "serve", "--http",
                "127.0.0.1:0");
        try (LisoProcess liso = LisoProcess.startCommand(1, cmd)) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10)).build();
            URI uri = URI.create(liso.url(0) + "cgi/?q=1");
            HttpResponse<String> get = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                    .header("User-Agent", "demo-cgi-it").build(), HttpResponse.BodyHandlers.ofString());
            String form = "name=Ada&message=%3Cb%3Ehi%3C%2Fb%3E";
            HttpResponse<String> post = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                    .header("User-Agent", "demo-cgi-it")
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(get.statusCode()).isEqualTo(200);
            assertThat(post.statusCode()).isEqualTo(200);
            for (String page : List.of(get.body(), post.body())) {
                assertThat(page).doesNotContain(SECRET, PATH_MARK, HOME_MARK, "PYENV", "<th>PATH</th>",
                        "<th>HOME</th>", "<b>hi");
                assertThat(page).contains("<th>GATEWAY_INTERFACE</th><td>CGI/1.1</td>",
                        "<th>QUERY_STRING</th><td>q=1</td>", "<th>HTTP_USER_AGENT</th><td>demo-cgi-it</td>",
                        "overflow-wrap: anywhere", "--accent: #0b7a75", "name=\"viewport\"");
                for (String name : all(page, "<tr><th>([A-Z_]+)</th>")) {
                    assertThat(name).matches("AUTH_TYPE|CONTENT_LENGTH|CONTENT_TYPE|GATEWAY_INTERFACE|PATH_INFO"
                            + "|PATH_TRANSLATED|QUERY_STRING|REMOTE_ADDR|REMOTE_HOST|REMOTE_IDENT|REMOTE_USER"
                            + "|REQUEST_METHOD|SCRIPT_NAME|SERVER_NAME|SERVER_PORT|SERVER_PROTOCOL|SERVER_SOFTWARE"
                            + "|HTTP_[A-Z0-9_]+");
                }
            }
            assertThat(all(post.body(), "<h2>([^<]*)</h2>")).isEqualTo(all(get.body(), "<h2>([^<]*)</h2>"))
                    .containsExactly("Request body", "Meta-variables (RFC 3875 &sect;4.1)");
            assertThat(get.body()).contains("<p>0 bytes</p>");
            assertThat(post.body()).contains("<p>" + form.length() + " bytes of application/x-www-form-urlencoded</p>",
                    "<th>name</th><td>Ada</td>", "<th>message</th><td>&lt;b&gt;hi&lt;/b&gt;</td>");
            List<String> getVars = all(get.body(), "<tr><th>([A-Z_]+)</th>");
            List<String> postVars = all(post.body(), "<tr><th>([A-Z_]+)</th>");
            getVars.removeAll(List.of("CONTENT_LENGTH", "CONTENT_TYPE"));
            postVars.removeAll(List.of("CONTENT_LENGTH", "CONTENT_TYPE"));
            assertThat(postVars).isEqualTo(getVars);
        }
    }
}
