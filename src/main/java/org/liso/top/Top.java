package org.liso.top;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.liso.diag.Json;

/**
 * {@code liso top URL}: scrapes a running server's {@code /metrics} every interval and shows the rates and gauges,
 * redrawn in place on a terminal (cursor home, each line cleared to its end, the rest of the screen cleared), as top
 * and watch do; one frame after another when the output is not a terminal. {@code --once} takes two scrapes one
 * interval apart, so that its rates are rates, prints one frame (or the JSON document) and exits.
 */
public final class Top {
    /** Cursor home; erase to the end of the line; erase to the end of the screen; hide and show the cursor. */
    static final String HOME = "\033[H";
    static final String EOL = "\033[K";
    static final String EOS = "\033[J";
    static final String HIDE_CURSOR = "\033[?25l";
    static final String SHOW_CURSOR = "\033[?25h";
    private static final int TIMEOUT_MILLIS = 5_000;
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final String metricsUrl;
    private final long intervalMillis;
    private final PrintStream out;

    /**
     * @param url the admin listener ({@code http://127.0.0.1:9180/}) or its {@code /metrics} itself
     */
    public Top(String url, long intervalMillis, PrintStream out) {
        this.metricsUrl = metricsUrl(url);
        this.intervalMillis = intervalMillis;
        this.out = out;
    }

    static String metricsUrl(String url) {
        String u = url.contains("://") ? url : "http://" + url;
        URI uri = URI.create(u);
        if (!"http".equals(uri.getScheme())) {
            throw new IllegalArgumentException("liso top reads an http:// admin listener, not '" + url + "'");
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        if (path.endsWith("/metrics")) {
            return u;
        }
        return u.endsWith("/") ? u + "metrics" : u + "/metrics";
    }

    public String url() {
        return metricsUrl;
    }

    /** Two scrapes one interval apart, one frame printed (text or JSON). */
    public void once(boolean json) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Metrics before = fetch();
        Thread.sleep(intervalMillis); // the interval is what the rates are measured over, not a wait for a state
        Metrics now = fetch();
        TopFrame f = new TopFrame(metricsUrl, before, now, (System.nanoTime() - t0) / 1e9);
        if (json) {
            out.println(Json.write(f.toJson()));
        } else {
            f.lines(clock(), Integer.MAX_VALUE).forEach(out::println);
        }
        out.flush();
    }

    /**
     * Redraws until {@code stop} says so (a key or a signal); on a terminal in place, {@code width} columns wide.
     *
     * @param terminal whether the output is a terminal (redraw in place) or not (one frame after another)
     */
    public void live(boolean terminal, int width, java.util.function.BooleanSupplier stop)
            throws IOException, InterruptedException {
        Metrics before = fetch();
        long t0 = System.nanoTime();
        if (terminal) {
            out.print(HIDE_CURSOR + HOME + EOS);
            out.flush();
        }
        while (!stop.getAsBoolean()) {
            long due = t0 + intervalMillis * 1_000_000;
            while (!stop.getAsBoolean() && System.nanoTime() < due) {
                Thread.sleep(Math.min(50, Math.max(1, (due - System.nanoTime()) / 1_000_000)));
            }
            if (stop.getAsBoolean()) {
                break;
            }
            Metrics now = fetch();
            long t1 = System.nanoTime();
            List<String> lines = new TopFrame(metricsUrl, before, now, (t1 - t0) / 1e9).lines(clock(), width);
            draw(lines, terminal);
            before = now;
            t0 = t1;
        }
    }

    /**
     * The live view on this process's own terminal, 'q' or a signal to stop; frames one after another when stdout
     * is not a terminal.
     */
    public void live() throws IOException, InterruptedException {
        boolean terminal = System.console() != null;
        Keyboard keys = terminal ? Keyboard.open() : null;
        try {
            live(terminal, terminal ? Keyboard.columns(80) : Integer.MAX_VALUE, () -> keys != null && keys.quit());
        } finally {
            if (keys != null) {
                keys.close();
            } else if (terminal) {
                out.print(SHOW_CURSOR);
                out.flush();
            }
        }
    }

    private void draw(List<String> lines, boolean terminal) {
        StringBuilder sb = new StringBuilder(2048);
        if (terminal) {
            sb.append(HOME);
            for (String l : lines) {
                sb.append(l).append(EOL).append("\r\n");
            }
            sb.append(EOS);
        } else {
            lines.forEach(l -> sb.append(l).append('\n'));
            sb.append('\n');
        }
        out.print(sb);
        out.flush();
    }

    private static String clock() {
        return LocalTime.now().format(CLOCK);
    }

    Metrics fetch() throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL(metricsUrl).openConnection();
        c.setConnectTimeout(TIMEOUT_MILLIS);
        c.setReadTimeout(TIMEOUT_MILLIS);
        c.setRequestProperty("Accept", "text/plain");
        try {
            int status = c.getResponseCode();
            if (status != 200) {
                throw new IOException(metricsUrl + " answered " + status + ", not metrics");
            }
            try (InputStream in = c.getInputStream()) {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                try {
                    return Metrics.parse(text);
                } catch (IllegalArgumentException e) {
                    throw new IOException(metricsUrl + " is not a metrics endpoint: " + e.getMessage());
                }
            }
        } finally {
            c.disconnect();
        }
    }
}
