package org.liso.cli;

import java.io.Console;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
                "%nOne line per port and address tried (succeeded / refused / timed out): a name's addresses are"
                        + " tried in resolver order until one answers, and each line names the address."
                        + " Name-resolution failures are said plainly. A"
                        + " range is probed concurrently on the event loop with a bound on connections in flight,"
                        + " with a progress bar on a terminal for long ranges."},
        footer = {"%nExamples:",
                "  liso probe 127.0.0.1 8080",
                "  liso probe localhost 8000-8100 --timeout 500ms",
                "  liso probe ::1 53 --udp -6 --json",
                "%nUDP: silence is reported as succeeded (open or filtered), as nc -u does;",
                "an ICMP port unreachable is 'refused'.",
                UnitsHelp.DURATIONS,
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

    @Option(names = {"-w", "--timeout"}, defaultValue = "2s", paramLabel = "TIME", description = "Per-port timeout (default ${DEFAULT-VALUE}).")
    TimeSpan timeout;

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
        long timeoutMillis = timeout.millis();
        if (timeoutMillis < 1) {
            throw new CliFailure(ExitCodes.USAGE, "--timeout must be at least 1ms (0 would end every probe before"
                    + " it could connect)");
        }
        if (maxInFlight < 1) {
            throw new CliFailure(ExitCodes.USAGE, "--max-in-flight must be at least 1");
        }
        List<InetAddress> addresses;
        try {
            addresses = resolve();
        } catch (UnknownHostException e) {
            String msg = "getaddrinfo for host \"" + host + "\" port " + ports + ": Name or service not known";
            if (json) {
                System.out.println(Json.write(document(List.of(), Map.of(), false, msg)));
            }
            System.err.println("probe: " + msg);
            return ExitCodes.NEGATIVE;
        }
        // Like nc: each port is tried at every address in resolver order until one answers.
        Map<Integer, List<Attempt>> attempts = new TreeMap<>();
        List<Integer> left = new ArrayList<>();
        for (int p = range[0]; p <= range[1]; p++) {
            left.add(p);
            attempts.put(p, new ArrayList<>());
        }
        for (InetAddress address : addresses) {
            if (left.isEmpty()) {
                break;
            }
            for (ProbeResult r : probe(address, left, timeoutMillis)) {
                attempts.get(r.port()).add(new Attempt(address, r));
                if (r.status().open()) {
                    left.remove(Integer.valueOf(r.port()));
                }
            }
        }
        boolean allOpen = left.isEmpty();
        if (json) {
            System.out.println(Json.write(document(addresses, attempts, allOpen, null)));
        } else {
            for (List<Attempt> tried : attempts.values()) {
                for (Attempt a : tried) {
                    System.out.println(a.result.ncLine(shown(a.address), udp));
                }
            }
        }
        return allOpen ? ExitCodes.OK : ExitCodes.NEGATIVE;
    }

    /** One port tried at one address. */
    private record Attempt(InetAddress address, ProbeResult result) {
    }

    private List<ProbeResult> probe(InetAddress address, List<Integer> portList, long timeoutMillis)
            throws java.io.IOException {
        int total = portList.size();
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
        int[] list = portList.stream().mapToInt(Integer::intValue).toArray();
        loop.execute(() -> prober.start(list, r -> {
            out.set(r);
            loop.stop();
        }));
        loop.run();
        if (bar != null) {
            bar.clear();
        }
        return out.get();
    }

    /** {@code localhost (::1)}, or the literal alone when the host was given as that address. */
    private String shown(InetAddress address) {
        String ip = Addresses.ipText(address);
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return ip.equals(bare) ? host : host + " (" + ip + ")";
    }

    /** The one shape of probe's JSON, also when the name did not resolve ({@code error} set, lists empty). */
    private Map<String, Object> document(List<InetAddress> addresses, Map<Integer, List<Attempt>> attempts,
            boolean allOpen, String error) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("host", host);
        List<Object> resolved = new ArrayList<>();
        addresses.forEach(a -> resolved.add(Addresses.ipText(a)));
        m.put("addresses", resolved);
        m.put("protocol", udp ? "udp" : "tcp");
        m.put("all_open", allOpen);
        m.put("error", error == null ? null : "name not resolved");
        m.put("message", error);
        List<Object> list = new ArrayList<>();
        for (Map.Entry<Integer, List<Attempt>> e : attempts.entrySet()) {
            List<Attempt> tried = e.getValue();
            Attempt last = tried.get(tried.size() - 1);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("port", e.getKey());
            r.put("address", Addresses.ipText(last.address));
            r.put("status", last.result.status().name().toLowerCase(java.util.Locale.ROOT));
            r.put("open", last.result.status().open());
            r.put("detail", last.result.detail());
            r.put("millis", last.result.millis());
            List<Object> each = new ArrayList<>();
            for (Attempt a : tried) {
                Map<String, Object> t = new LinkedHashMap<>();
                t.put("address", Addresses.ipText(a.address));
                t.put("status", a.result.status().name().toLowerCase(java.util.Locale.ROOT));
                t.put("detail", a.result.detail());
                t.put("millis", a.result.millis());
                each.add(t);
            }
            r.put("attempts", each);
            list.add(r);
        }
        m.put("results", list);
        return m;
    }

    private List<InetAddress> resolve() throws UnknownHostException {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        List<InetAddress> out = new ArrayList<>();
        for (InetAddress a : InetAddress.getAllByName(h)) {
            boolean v4 = a instanceof java.net.Inet4Address;
            if (family.v4 && !v4 || family.v6 && v4) {
                continue;
            }
            out.add(a);
        }
        if (out.isEmpty()) {
            throw new UnknownHostException(h);
        }
        return out;
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
