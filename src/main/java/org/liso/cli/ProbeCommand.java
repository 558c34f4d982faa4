package org.liso.cli;

import java.io.Console;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.liso.diag.Addresses;
import org.liso.diag.Json;
import org.liso.listen.PortProber;
import org.liso.listen.ProbeResult;
import org.liso.loop.EventLoop;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "probe",
        header = "Is anything listening? Like nc -vz, with exit codes.",
        mixinStandardHelpOptions = true,
        description = {"Is anything listening there? Like `nc -vz`, with exit codes.",
                "%nOne line per port (succeeded / refused / timed out), name-resolution failures said plainly. A"
                        + " range is probed concurrently on the event loop with a bound on connections in flight,"
                        + " with a progress bar on a terminal for long ranges."},
        footer = {"%nExamples:",
                "  liso probe 127.0.0.1 8080",
                "  liso probe localhost 8000-8100 --timeout 500ms",
                "  liso probe ::1 53 --udp -6 --json",
                "%nUDP: silence is reported as succeeded (open or filtered), as nc -u does;",
                "an ICMP port unreachable is 'refused'.",
                "%nExit codes: 0 every port open, 1 some port closed or the name did not",
                "resolve, 2 usage error."})
final class ProbeCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "HOST", description = "Host name or address.")
    String host;

    @Parameters(index = "1", paramLabel = "PORT[-PORT]", description = "A port or an inclusive range.")
    String ports;

    @ArgGroup(exclusive = true)
    Family family = new Family();

    @Option(names = {"-u", "--udp"}, description = "Probe UDP.")
    boolean udp;

    @Option(names = {"-w", "--timeout"}, defaultValue = "2s", description = "Per-port timeout (default ${DEFAULT-VALUE}).")
    String timeout;

    @Option(names = "--max-in-flight", defaultValue = "256", description = "Connects at once (default ${DEFAULT-VALUE}).")
    int maxInFlight;

    @Option(names = "--json", description = "Print one JSON document.")
    boolean json;

    static final class Family {
        @Option(names = "-4", description = "IPv4 only.")
        boolean v4;
        @Option(names = "-6", description = "IPv6 only.")
        boolean v6;
    }

    @Override
    public Integer call() throws Exception {
        int[] range = range(ports);
        long timeoutMillis = Durations.millis(timeout);
        if (maxInFlight < 1) {
            throw new CliFailure(ExitCodes.USAGE, "--max-in-flight must be at least 1");
        }
        InetAddress address;
        try {
            address = resolve();
        } catch (UnknownHostException e) {
            String msg = "getaddrinfo for host \"" + host + "\" port " + ports + ": Name or service not known";
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("host", host);
                m.put("error", "name not resolved");
                m.put("message", msg);
                System.out.println(Json.write(m));
            }
            System.err.println("probe: " + msg);
            return ExitCodes.NEGATIVE;
        }
        int total = range[1] - range[0] + 1;
        Console console = System.console();
        ProgressBar bar = console != null && !json && total >= 64 ? new ProgressBar(System.err, total) : null;
        EventLoop loop = new EventLoop("probe");
        AtomicReference<List<ProbeResult>> out = new AtomicReference<>();
        PortProber prober = new PortProber(loop, address, udp, timeoutMillis, maxInFlight,
                n -> {
                    if (bar != null) {
                        bar.update(n);
                    }
                });
        loop.execute(() -> prober.start(range[0], range[1], r -> {
            out.set(r);
            loop.stop();
        }));
        loop.run();
        if (bar != null) {
            bar.clear();
        }
        List<ProbeResult> results = out.get();
        boolean allOpen = results.stream().allMatch(r -> r.status().open());
        String shown = Addresses.ipText(address).equals(host) ? host : host + " (" + Addresses.ipText(address) + ")";
        if (json) {
            System.out.println(Json.write(document(address, results, allOpen)));
        } else {
            for (ProbeResult r : results) {
                System.out.println(r.ncLine(shown, udp));
            }
        }
        return allOpen ? ExitCodes.OK : ExitCodes.NEGATIVE;
    }

    private Map<String, Object> document(InetAddress address, List<ProbeResult> results, boolean allOpen) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("host", host);
        m.put("address", Addresses.ipText(address));
        m.put("protocol", udp ? "udp" : "tcp");
        m.put("all_open", allOpen);
        List<Object> list = new ArrayList<>();
        for (ProbeResult r : results) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("port", r.port());
            e.put("status", r.status().name().toLowerCase(java.util.Locale.ROOT));
            e.put("open", r.status().open());
            e.put("detail", r.detail());
            e.put("millis", r.millis());
            list.add(e);
        }
        m.put("results", list);
        return m;
    }

    private InetAddress resolve() throws UnknownHostException {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        for (InetAddress a : InetAddress.getAllByName(h)) {
            if (family.v4 && !(a instanceof java.net.Inet4Address) || family.v6 && !(a instanceof java.net.Inet6Address)) {
                continue;
            }
            return a;
        }
        throw new UnknownHostException(h);
    }

    static int[] range(String text) {
        String[] ab = text.split("-", -1);
        try {
            int from = Integer.parseInt(ab[0].trim());
            int to = ab.length == 2 ? Integer.parseInt(ab[1].trim()) : from;
            if (ab.length > 2 || from < 1 || to > 65535 || from > to) {
                throw new NumberFormatException();
            }
            return new int[] {from, to};
        } catch (NumberFormatException e) {
            throw new CliFailure(ExitCodes.USAGE, "not a port or range: '" + text + "' (write 80 or 8000-8100)");
        }
    }
}
