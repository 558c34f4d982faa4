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
import org.liso.diag.UnixSocket;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "who",
        header = "Which process holds a port (like ss -ltnp / lsof -i).",
        mixinStandardHelpOptions = true,
        description = {"Which process holds a port (pid, user, command line).",
                "%nEvery socket on the port with protocol, local and remote address, state, side (listen, server,"
                        + " client), pid, user, process name (/proc/PID/comm) and command line. A dual-stack [::]"
                        + " shows as *:PORT and a v6only one as [::]:PORT, as in ss; ADDR:PORT lists only the sockets"
                        + " a connection to ADDR reaches. Listeners of one process on one address (SO_REUSEPORT, e.g."
                        + " liso --loops N) show as one line, 'SO_REUSEPORT group of N'. Reads /proc: your own processes without root, all as root. Where /proc/net is"
                        + " missing it runs `ss` instead and says so on stderr."},
        footer = {"%nExamples:",
                "  liso who 8080                  # TCP and UDP listeners on port 8080",
                "  liso who 127.0.0.1:8080 --all  # also connections (both ends) and TIME-WAIT",
                "  liso who /run/app.sock         # a Unix socket's holders",
                "  liso who --listening --json    # every listener, like `ss -ltnup`",
                "  liso who 8080 --kill           # ask, SIGTERM, SIGKILL after 5s",
                "  liso who 8080 --kill --signal INT --grace 10s --yes",
                UnitsHelp.DURATIONS,
                "%nExit codes: 0 sockets found (with --kill: all signalled processes ended),",
                "1 nothing on that port (or a process survived), 2 usage error, 74 I/O error."})
final class WhoCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "PORT|ADDR:PORT|PATH",
            description = "Port, address and port (only the sockets a connection to it reaches), or a Unix socket path.")
    String target;

    @Option(names = {"-l", "--listening"}, description = "List every listener on the host.")
    boolean listening;

    @ArgGroup(exclusive = true)
    Protocols protocols = new Protocols();

    @Option(names = {"-a", "--all"}, description = "Include connections (server and client ends, column SIDE),"
            + " TIME-WAIT and other non-listening sockets.")
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
        @Option(names = "--grace", defaultValue = "5s", paramLabel = "TIME", description = "Wait before SIGKILL (default ${DEFAULT-VALUE}).")
        TimeSpan grace;
        @Option(names = {"-y", "--yes"}, description = "Do not ask (needed without a terminal).")
        boolean yes;
    }

    @Override
    public Integer call() throws Exception {
        if (target == null && !listening) {
            throw new CliFailure(ExitCodes.USAGE, "give a PORT or ADDR:PORT, or --listening (see liso who --help)");
        }
        if (target != null && (target.startsWith("/") || target.startsWith("unix:"))) {
            return unix(target.startsWith("unix:") ? target.substring(5) : target);
        }
        Query query = target == null ? null : query(target);
        if (kill != null) {
            SocketKiller.checkSignal(kill.signal);
        }
        SocketTable table = SocketTable.snapshot();
        List<OwnedSocket> found = select(table, query);
        note(table, found);
        if (kill != null) {
            if (target == null) {
                throw new CliFailure(ExitCodes.USAGE, "--kill needs a PORT");
            }
            return new SocketKiller(kill.signal, kill.grace.millis(), kill.yes).run(found, json);
        }
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("query", target == null ? "listening" : target);
            doc.put("source", table.source());
            doc.put("unreadable_processes", table.unreadable());
            List<Object> list = new ArrayList<>();
            for (List<OwnedSocket> group : org.liso.diag.ReusePortGroups.of(found)) {
                for (OwnedSocket o : group) {
                    Map<String, Object> m = SocketJson.of(o);
                    m.put("side", SocketListing.side(o.socket(), query == null ? 0 : query.port));
                    m.put("reuseport_group", group.size() > 1 ? group.size() : null);
                    list.add(m);
                }
            }
            doc.put("sockets", list);
            System.out.println(Json.write(doc));
        } else if (found.isEmpty()) {
            System.err.println("who: nothing " + (all ? "" : "listening ") + "on "
                    + (target == null ? "this host" : target) + (all ? "" : " (--all shows connections too)"));
        } else {
            System.out.print(SocketListing.format(found, table, query == null ? 0 : query.port));
        }
        return found.isEmpty() && target != null ? ExitCodes.NEGATIVE : ExitCodes.OK;
    }

    /** A port, and the local address a connection would be made to (null: any). */
    private record Query(InetAddress address, int port) {
    }

    private static Query query(String text) {
        if (text.matches("\\d+")) {
            int port;
            try {
                port = Integer.parseInt(text);
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65535) {
                throw new CliFailure(ExitCodes.USAGE, "port out of range 1-65535: " + text);
            }
            return new Query(null, port);
        }
        InetSocketAddress a = Addresses.parse(text, "0.0.0.0");
        return new Query(a.getAddress(), a.getPort());
    }

    private List<OwnedSocket> select(SocketTable table, Query q) {
        if (q == null) {
            return table.listeners(protocols.wantTcp(), protocols.wantUdp());
        }
        boolean everything = all || kill != null;
        List<OwnedSocket> out = new ArrayList<>();
        for (OwnedSocket o : table.onPort(q.port, protocols.wantTcp(), protocols.wantUdp(), everything)) {
            if (q.address == null || o.socket().reachableAt(q.address)) {
                out.add(o);
            }
        }
        if (all && kill == null) {
            // The client ends of connections to the port (as lsof -i :PORT lists them); never signalled by --kill.
            for (OwnedSocket o : table.clientsOf(q.port, protocols.wantTcp(), protocols.wantUdp())) {
                InetAddress to = o.socket().remote().getAddress();
                if (q.address == null || q.address.isAnyLocalAddress() || to.equals(q.address)) {
                    out.add(o);
                }
            }
        }
        return out;
    }

    private int unix(String path) throws java.io.IOException {
        if (kill != null) {
            throw new CliFailure(ExitCodes.USAGE, "--kill takes a PORT, not a Unix socket path");
        }
        List<UnixSocket> found = UnixSocket.at(path);
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("query", path);
            doc.put("source", "/proc/net/unix");
            List<Object> list = new ArrayList<>();
            for (UnixSocket u : found) {
                list.add(SocketJson.of(u));
            }
            doc.put("sockets", list);
            System.out.println(Json.write(doc));
        } else if (found.isEmpty()) {
            System.err.println("who: no Unix socket is bound to " + path
                    + (java.nio.file.Files.exists(java.nio.file.Path.of(path)) ? " (the file exists: a stale socket"
                            + " file or not a socket)" : ""));
        } else {
            System.out.print(SocketListing.formatUnix(found));
        }
        return found.isEmpty() ? ExitCodes.NEGATIVE : ExitCodes.OK;
    }

    private static void note(SocketTable table, List<OwnedSocket> found) {
        if (!table.source().startsWith("/proc") || table.source().contains("unknown")) {
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
