package org.liso.cli;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.net.InetSocketAddress;
import org.liso.diag.BindDiagnosis;
import org.liso.diag.BindDoctor;
import org.liso.diag.FreePorts;
import org.liso.diag.HostFacts;
import org.liso.diag.PortNotes;
import org.liso.diag.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "free-port",
        header = "Ports that bind now, one per line.",
        mixinStandardHelpOptions = true,
        description = {"Ports that bind now, one per line.",
                "%nChosen by the kernel (bind to port 0), or the first free ones in a range (a port still in"
                        + " TIME-WAIT is skipped). A port is only free at the moment of the check; bind it soon."
                        + " Kernel-chosen ports come from the ephemeral range (net.ipv4.ip_local_port_range), the"
                        + " ports outgoing connections use too, which `liso doctor` warns about for a server;"
                        + " --outside-ephemeral looks outside it."},
        footer = {"%nExamples:",
                "  liso free-port                      # one kernel-chosen TCP port on 127.0.0.1",
                "  liso free-port --count 3 --udp",
                "  liso free-port --range 8000-8100 --bind 0.0.0.0",
                "  liso free-port --outside-ephemeral  # a port no outgoing connection takes",
                "  PORT=$(liso free-port) && liso echo --port $PORT",
                "%nExit codes: 0 found them all, 1 the range has fewer free ports than asked,",
                "2 usage error, 69 the address cannot be bound (not on this host), 77 permission denied."})
final class FreePortCommand implements Callable<Integer> {

    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Address to bind (default ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = {"-n", "--count"}, defaultValue = "1", description = "How many ports (default ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--range", paramLabel = "A-B", description = "Look in this range instead of asking the kernel.")
    String range;

    @Option(names = "--outside-ephemeral", description = "Only ports outside net.ipv4.ip_local_port_range (and not in"
            + " ip_local_reserved_ports), which outgoing connections never take: what doctor recommends for a server.")
    boolean outsideEphemeral;

    @Option(names = {"-u", "--udp"}, description = "UDP ports.")
    boolean udp;

    @Option(names = "--json", description = "Print one JSON document.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (count < 1 || count > 65535) {
            throw new CliFailure(ExitCodes.USAGE, "--count must be 1-65535");
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(bind.replace("[", "").replace("]", ""));
        } catch (java.net.UnknownHostException e) {
            throw new CliFailure(ExitCodes.USAGE, "cannot resolve --bind '" + bind + "'");
        }
        List<Integer> ports;
        try {
            // An address that cannot be bound at all fails here, range or not.
            ports = FreePorts.kernelChosen(address, range == null ? count : 1, udp);
        } catch (java.io.IOException e) {
            // The same words and exit code as every server's failed bind (EADDRNOTAVAIL: 69).
            BindDiagnosis d = BindDoctor.explain(new InetSocketAddress(address, 0), udp, e);
            throw new CliFailure(d.exitCode(), d.paragraph(), e);
        }
        int[] ephemeral = HostFacts.localPortRange();
        if (outsideEphemeral) {
            int from = HostFacts.unprivilegedPortStart();
            int to = 65535;
            if (range != null) {
                int[] r = parseRange(range);
                from = r[0];
                to = r[1];
            }
            ports = PortNotes.outsideEphemeral(address, Math.max(1, from), to, count, udp, range == null);
        } else if (range != null) {
            int[] r = parseRange(range);
            ports = FreePorts.inRange(address, r[0], r[1], count, udp);
        }
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("bind", org.liso.diag.Addresses.ipText(address));
            m.put("protocol", udp ? "udp" : "tcp");
            m.put("ports", ports);
            m.put("ephemeral_range", List.of(ephemeral[0], ephemeral[1]));
            m.put("outside_ephemeral", outsideEphemeral);
            System.out.println(Json.write(m));
        } else {
            for (int p : ports) {
                System.out.println(p);
            }
        }
        if (!outsideEphemeral && range == null && System.console() != null) {
            System.err.println("free-port: chosen by the kernel from the ephemeral range " + PortNotes.ephemeralText()
                    + " (outgoing connections use it too; --outside-ephemeral avoids it)");
        }
        if (ports.size() < count) {
            System.err.println("free-port: only " + ports.size() + " of " + count + " ports free in "
                    + (range == null ? "the ports outside " + PortNotes.ephemeralText() : range));
            return ExitCodes.NEGATIVE;
        }
        return ExitCodes.OK;
    }

    private static int[] parseRange(String text) {
        String[] ab = text.split("-");
        int from;
        int to;
        try {
            from = Integer.parseInt(ab[0].trim());
            to = Integer.parseInt(ab[ab.length - 1].trim());
        } catch (NumberFormatException e) {
            throw new CliFailure(ExitCodes.USAGE, "not a range: '" + text + "' (write 8000-8100)");
        }
        if (ab.length != 2 || from < 1 || to > 65535 || from > to) {
            throw new CliFailure(ExitCodes.USAGE, "not a range: '" + text + "' (write 8000-8100, 1-65535)");
        }
        return new int[] {from, to};
    }
}
