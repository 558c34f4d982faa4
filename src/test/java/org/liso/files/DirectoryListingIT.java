package org.liso.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.liso.files.LisoServeProcess.curl;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code --list-dirs} on a directory of 100,003 files, through the real server and curl, page by page. */
class DirectoryListingIT {
    private static final Pattern ROW = Pattern.compile(
            "<tr><td><a href=\"\\./([^\"]+)\">([^<]*)</a></td><td class=\"n\">(\\d+|-)</td>"
                    + "<td class=\"n\">(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC)</td></tr>");
    private static final Pattern NEXT = Pattern.compile("<a rel=\"next\" href=\"\\./(\\?after=[^\"]+)\">next page</a>");

    @TempDir
    Path tmp;

    private static String html(String name) {
        return name.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }

    private static List<String> names(String html) {
        List<String> out = new ArrayList<>();
        Matcher m = ROW.matcher(html);
        while (m.find()) {
            out.add(URLDecoder.decode(m.group(1), StandardCharsets.UTF_8));
        }
        return out;
    }

    @Test
    void listDirsMaxSetsThePageSize() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("www/d"));
        for (String n : List.of("e", "c", "a", "d", "b")) {
            Files.createFile(dir.resolve(n));
        }
        Files.createDirectories(dir.resolve("sub"));
        try (LisoServeProcess server = LisoServeProcess.start(tmp.resolve("www"), List.of(), "--list-dirs",
                "--list-dirs-max", "2")) {
            String first = curl("-f", server.url + "/d/").text();
            assertThat(names(first)).containsExactly("a", "b");
            assertThat(first).contains("href=\"./?after=b\"");
            assertThat(names(curl("-f", server.url + "/d/?after=b").text())).containsExactly("c", "d");
            String last = curl("-f", server.url + "/d/?after=d").text();
            assertThat(names(last)).containsExactly("e", "sub/");
            assertThat(last).contains("<a href=\"./sub/\">sub/</a></td><td class=\"n\">-</td>")
                    .doesNotContain("next page");
        }
    }

    @Test
    @Timeout(value = 240)
    void pagesThroughAHugeDirectoryByNameWithoutRepeatsOrGaps() throws Exception {
        Path big = Files.createDirectories(tmp.resolve("www/big"));
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            names.add("f" + i);
        }
        names.addAll(List.of("<b>&\"it's\".txt", "with space", "caf\u00e9"));
        Collections.shuffle(names, new Random(5));
        for (String n : names) {
            Files.createFile(big.resolve(n));
        }
        Files.writeString(big.resolve("f7"), "seven");
        Collections.sort(names);

        try (LisoServeProcess server = LisoServeProcess.start(tmp.resolve("www"), List.of(), "--list-dirs")) {
            String base = server.url + "/big/";
            List<String> seen = new ArrayList<>();
            String next = "";
            int pages = 0;
            long slowest = 0;
            while (next != null) {
                long t0 = System.nanoTime();
                LisoServeProcess.Result r = curl("-f", base + next);
                slowest = Math.max(slowest, System.nanoTime() - t0);
                assertThat(r.exit()).as(r.err()).isZero();
                String html = r.text();
                List<String> page = new ArrayList<>();
                Matcher m = ROW.matcher(html);
                while (m.find()) {
                    String name = URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
                    assertThat(m.group(2)).isEqualTo(html(name));
                    if (name.equals("f7")) {
                        assertThat(m.group(3)).isEqualTo("5");
                    }
                    page.add(name);
                }
                int from = seen.size();
                assertThat(page).as("page %d", pages + 1)
                        .isEqualTo(names.subList(from, Math.min(from + 10_000, names.size())));
                seen.addAll(page);
                Matcher n = NEXT.matcher(html);
                next = n.find() ? n.group(1) : null;
                pages++;
            }
            assertThat(pages).isEqualTo(11);
            assertThat(seen).isEqualTo(names);
            Set<String> unique = new HashSet<>(seen);
            assertThat(unique).hasSameSizeAs(seen);
            System.out.println("DirectoryListingIT: 100003 names in " + pages + " pages, slowest page "
                    + Duration.ofNanos(slowest).toMillis() + " ms");
        }
    }
}
