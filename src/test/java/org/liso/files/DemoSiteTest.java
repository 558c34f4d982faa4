package org.liso.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.http.HttpException;

class DemoSiteTest {
    private static final Pattern LOCAL_LINK = Pattern.compile("(?:href|src)=\"(?!https?:|/cgi/)([^\"#?]+)\"");

    @TempDir
    Path tmp;

    @Test
    void extractsEveryFileAndServesThemWithWorkingLinks() throws IOException, HttpException {
        Path site = DemoSite.extractTo(tmp.resolve("demo"));
        for (String name : DemoSite.FILES) {
            assertThat(Files.size(site.resolve(name))).as(name).isPositive();
        }
        FileHandler handler = new FileHandler(site, FileOptions.DEFAULT);
        RecordingExchange home = RecordingExchange.of("GET", "/");
        handler.handle(home);
        assertThat(home.status()).isEqualTo(200);
        String html = home.bodyText();
        assertThat(html).contains("Liso").contains("cgi.html");

        List<String> links = new ArrayList<>();
        for (String page : new String[] {html, Files.readString(site.resolve("cgi.html"))}) {
            Matcher m = LOCAL_LINK.matcher(page);
            while (m.find()) {
                links.add(m.group(1));
            }
        }
        assertThat(links).contains("style.css", "liso.svg", "cgi.html");
        for (String link : links) {
            String target = link.startsWith("/") ? link : "/" + link.replaceFirst("^\\./", "");
            RecordingExchange x = RecordingExchange.of("GET", target);
            handler.handle(x);
            assertThat(x.status()).as(link).isEqualTo(200);
        }
        assertThat(Files.readString(site.resolve("cgi.html"))).contains("href=\"/cgi/");
        RecordingExchange svg = RecordingExchange.of("GET", "/liso.svg");
        handler.handle(svg);
        assertThat(svg.header("Content-Type")).isEqualTo("image/svg+xml; charset=utf-8");
    }

    @Test
    void extractingTwiceReplaces() throws IOException {
        Path site = DemoSite.extractTo(tmp.resolve("again"));
        Files.writeString(site.resolve("index.html"), "changed");
        DemoSite.extractTo(site);
        assertThat(Files.readString(site.resolve("index.html"))).contains("Liso is serving");
    }
}
