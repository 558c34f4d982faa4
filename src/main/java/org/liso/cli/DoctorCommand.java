package org.liso.cli;

import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import org.liso.diag.Addresses;
import org.liso.diag.BindCheck;
import org.liso.diag.BindError;
import org.liso.diag.Json;
import org.liso.diag.OwnedSocket;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "doctor",
        header = "Would this bind work? If not: why, and what to do.",
        mixinStandardHelpOptions = true,
        description = {"Would a server's bind of ADDR:PORT work? If not, why, and what to do.",
                "%nBinds the address the way a server does (without and with SO_REUSEADDR), releases it at once,"
                        + " and explains the result: the process holding the port (a listener, every member of a"
                        + " SO_REUSEPORT group and whether this process could join it, connections a process keeps in"
                        + " CLOSE-WAIT), TIME-WAIT leftovers, privileged ports and the remedies that work for a JVM,"
                        + " addresses not on this host, IPv6 dual-stack conflicts, the ephemeral port range, link-local"
                        + " scopes, and the descriptors left (open / soft / hard limit). Every alternative address or"
                        + " port it suggests was bound successfully a moment before."},
        footer = {"%nExamples:",
                "  liso doctor 0.0.0.0:80",
                "  liso doctor 127.0.0.1:8080 --json",
                "  liso doctor [::]:5353 --udp",
                "%nExit codes: 0 a server that sets SO_REUSEADDR (as Liso does) can bind it",
                "now, 1 the bind would fail, 2 usage error."})
final class DoctorCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "ADDR:PORT", description = "host:port, :port (all IPv4), [v6]:port.")
    String target;

    @Option(names = {"-t", "--tcp"}, description = "Check a TCP listener (default).")
    boolean tcp;

    @Option(names = {"-u", "--udp"}, description = "Check a UDP socket.")
    boolean udp;

    @Option(names = "--json", description = "Print one JSON document.")
    boolean json;

    @Override
    public Integer call() {
        if (tcp && udp) {
            throw new CliFailure(ExitCodes.USAGE, "choose --tcp or --udp, not both");
        }
        InetSocketAddress address = Addresses.parse(target, "0.0.0.0");
        BindCheck check = BindCheck.run(address, udp);
        if (json) {
            System.out.println(Json.write(check.toJson()));
        } else {
            System.out.print(report(check));
        }
        return check.bindable() ? ExitCodes.OK : ExitCodes.NEGATIVE;
    }

    static String report(BindCheck c) {
        StringBuilder sb = new StringBuilder();
        sb.append(c.diagnosis().paragraph()).append("\n\n");
        sb.append("  bind without SO_REUSEADDR: ").append(outcome(c.plain())).append('\n');
        if (c.plain() != null) {
            sb.append("  bind with SO_REUSEADDR:    ").append(outcome(c.reuse())).append('\n');
        }
        sb.append("  file descriptors:          ").append(c.fds().text()).append('\n');
        if (!c.holders().isEmpty()) {
            sb.append("\nSockets on this host that overlap ").append(Addresses.format(c.address())).append(":\n");
            for (OwnedSocket o : c.holders()) {
                sb.append("  ").append(o.socket().table()).append(' ').append(o.socket().localText()).append(' ')
                        .append(o.socket().remoteText()).append(' ').append(o.socket().state().label())
                        .append(" — ").append(o.ownersText()).append('\n');
            }
        }
        for (String w : c.warnings()) {
            sb.append("\nwarning: ").append(w).append('\n');
        }
        return sb.toString();
    }

    private static String outcome(java.io.IOException failure) {
        return failure == null ? "ok" : BindError.of(failure).name() + " (" + failure.getMessage() + ")";
    }
}
