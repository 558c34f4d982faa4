package org.liso.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.liso.diag.Addresses;
import org.liso.diag.HostFacts;
import org.liso.diag.Json;
import org.liso.diag.OwnedSocket;
import org.liso.diag.SocketJson;
import org.liso.diag.SocketTable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "who",
        header = "Which process holds a port (like ss -ltnp / lsof -i).",
        mixinStandardHelpOptions = true,
        description = {"Which process holds a port (pid, user, command line).",
                "%nEvery socket on the port with protocol, local and remote address, state, pid, user and command"
                        + " line. Reads /proc: your own processes without root, all as root. Where /proc/net is"
                        + " missing it runs `ss` instead and says so on stderr."},
        footer = {"%nExamples:",
                "  liso who 8080                  # TCP and UDP listeners on port 8080",
                "  liso who 127.0.0.1:8080 --all  # also connections and TIME-WAIT",
                "  liso who --listening --json    # every listener, like `ss -ltnup`",
                "  liso who 8080 --kill           # ask, SIGTERM, SIGKILL after 5s",
                "  liso who 8080 --kill --signal INT --grace 10s --yes",
                "%nExit codes: 0 sockets found (with --kill: all signalled processes ended),",
                "1 nothing on that port (or a process survived), 2 usage error, 74 I/O error."})
final class WhoCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "PORT|ADDR:PORT", description = "Port, or address and port.")
    String target;

    @Option(names = {"-l", "--listening"}, description = "List every listener on the host.")
    boolean listening;

    @ArgGroup(exclusive = true)
    Protocols protocols = new Protocols();

    @Option(names = {"-a", "--all"}, description = "Include connected, TIME-WAIT and other non-listening sockets.")
    boolean all;

    @Option(names = "--json", description = "Print one JSON document.")
    boolean json;

    @ArgGroup(exclusive = false)
    KillOptions kill;

    static final class Protocols {
        @Option(names = {"-t", "--tcp"}, description = "TCP only.")
        boolean tcp;
        @Option(names = {"-u", "--udp"}, description = "UDP only.")
        boolean udp;

        boolean wantTcp() {
            return tcp || !udp;
        }

        boolean wantUdp() {
            return udp || !tcp;
        }
    }

    static final class KillOptions {
        @Option(names = "--kill", required = true, description = "Signal the processes holding the port.")
        boolean kill;
        @Option(names = "--signal", defaultValue = "TERM", description = "First signal (default ${DEFAULT-VALUE}).")
        String signal;
        @Option(names = "--grace", defaultValue = "5s", description = "Wait before SIGKILL (default ${DEFAULT-VALUE}).")
        String grace;
        @Option(names = {"-y", "--yes"}, description = "Do not ask (needed without a terminal).")
        boolean yes;
    }

    @Override
    public Integer call() throws Exception {
        if (target == null && !listening) {
            throw new CliFailure(ExitCodes.USAGE, "give a PORT or ADDR:PORT, or --listening (see liso who --help)");
        }
        SocketTable table = SocketTable.snapshot();
        List<OwnedSocket> found = select(table);
        note(table, found);
        if (kill != null) {
            if (target == null) {
                throw new CliFailure(ExitCodes.USAGE, "--kill needs a PORT");
            }
            return new SocketKiller(kill.signal, Durations.millis(kill.grace), kill.yes).run(found, json);
        }
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("query", target == null ? "listening" : target);
            doc.put("source", table.source());
            doc.put("unreadable_processes", table.unreadable());
            List<Object> list = new ArrayList<>();
            for (OwnedSocket o : found) {
                list.add(SocketJson.of(o));
            }
            doc.put("sockets", list);
            System.out.println(Json.write(doc));
        } else if (found.isEmpty()) {
            System.err.println("who: nothing " + (all ? "" : "listening ") + "on "
                    + (target == null ? "this host" : target) + (all ? "" : " (--all shows connections too)"));
        } else {
            System.out.print(SocketListing.format(found));
        }
        return found.isEmpty() && target != null ? ExitCodes.NEGATIVE : ExitCodes.OK;
    }

    private List<OwnedSocket> select(SocketTable table) {
        if (target == null) {
            return table.listeners(protocols.wantTcp(), protocols.wantUdp());
        }
        InetAddress address = null;
        int port;
        if (target.matches("\\d+")) {
            port = Integer.parseInt(target);
        } else {
            InetSocketAddress a = Addresses.parse(target, "0.0.0.0");
            address = a.getAddress();
            port = a.getPort();
        }
        List<OwnedSocket> out = new ArrayList<>();
        for (OwnedSocket o : table.onPort(port, protocols.wantTcp(), protocols.wantUdp(), all || kill != null)) {
            if (address == null || address.isAnyLocalAddress() || o.socket().isWildcard()
                    || o.socket().local().getAddress().equals(address)) {
                out.add(o);
            }
        }
        return out;
    }

    private static void note(SocketTable table, List<OwnedSocket> found) {
        if (!table.source().startsWith("/proc")) {
            System.err.println("who: read from " + table.source());
        }
        boolean ownerless = found.stream().anyMatch(o -> o.owners().isEmpty() && o.socket().inode() != 0);
        if (table.unreadable() > 0 && ownerless) {
            System.err.println("who: " + table.unreadable() + (HostFacts.isRoot()
                    ? " processes could not be read (ended meanwhile, or access denied even to root);"
                            + " their sockets show no owner"
                    : " processes of other users could not be read; run as root to attribute their sockets"));
        }
    }
}
