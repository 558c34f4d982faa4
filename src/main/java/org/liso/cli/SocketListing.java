package org.liso.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.liso.diag.OwnedSocket;
import org.liso.diag.ProcessInfo;
import org.liso.diag.ReusePortGroups;
import org.liso.diag.SocketEntry;
import org.liso.diag.SocketTable;
import org.liso.diag.UnixSocket;
import org.liso.diag.UserNames;

/** The human tables of {@code liso who}: aligned columns, one line per socket and owning process. */
final class SocketListing {
    private static final String[] HEAD = {"PROTO", "LOCAL", "REMOTE", "STATE", "SIDE", "PID", "USER", "NAME",
            "COMMAND"};
    private static final String[] UNIX_HEAD = {"PROTO", "PATH", "STATE", "INODE", "PID", "USER", "NAME", "COMMAND"};

    private SocketListing() {
    }

    /**
     * Which end of {@code port} a socket is: the listener, the server end of a connection (local port), or the
     * client end (remote port).
     */
    static String side(SocketEntry s, int port) {
        if (s.isListening()) {
            return s.udp() ? "bound" : "listen";
        }
        return port > 0 && s.port() != port && s.remote().getPort() == port ? "client" : "server";
    }

    static String format(List<OwnedSocket> sockets, SocketTable table, int port) {
        UserNames names = UserNames.load(Path.of("/etc/passwd"));
        List<String[]> rows = new ArrayList<>();
        rows.add(HEAD);
        for (List<OwnedSocket> group : ReusePortGroups.of(sockets)) {
            OwnedSocket o = group.get(0);
            SocketEntry s = o.socket();
            String side = side(s, port) + (group.size() > 1 ? " (SO_REUSEPORT group of " + group.size() + ")" : "");
            if (o.owners().isEmpty()) {
                String who;
                if (s.inode() != 0) {
                    who = "?";
                } else {
                    OwnedSocket listener = table.acceptQueueOf(s);
                    who = listener == null ? "(kernel)" : "(accept queue of " + (listener.owners().isEmpty()
                            ? "inode " + listener.socket().inode() : "pid " + listener.owners().get(0).pid())
                            + ": not accepted yet)";
                }
                rows.add(new String[] {s.table(), s.localText(), s.remoteText(), s.state().label(), side, "-",
                        s.inode() == 0 || s.uid() < 0 ? "-" : names.name(s.uid()), "-", who});
            }
            for (ProcessInfo p : o.owners()) {
                rows.add(new String[] {s.table(), s.localText(), s.remoteText(), s.state().label(), side,
                        Long.toString(p.pid()), p.user(), p.command(), p.commandLine()});
            }
        }
        return align(rows);
    }

    static String formatUnix(List<UnixSocket> sockets) {
        List<String[]> rows = new ArrayList<>();
        rows.add(UNIX_HEAD);
        for (UnixSocket u : sockets) {
            if (u.owners().isEmpty()) {
                rows.add(new String[] {"unix/" + u.type(), u.path(), u.state(), Long.toString(u.inode()), "-", "-",
                        "-", "?"});
            }
            for (ProcessInfo p : u.owners()) {
                rows.add(new String[] {"unix/" + u.type(), u.path(), u.state(), Long.toString(u.inode()),
                        Long.toString(p.pid()), p.user(), p.command(), p.commandLine()});
            }
        }
        return align(rows);
    }

    private static String align(List<String[]> rows) {
        int columns = rows.get(0).length;
        int[] width = new int[columns];
        for (String[] r : rows) {
            for (int i = 0; i < r.length - 1; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                sb.append(r[i]);
                if (i < r.length - 1) {
                    sb.append(" ".repeat(width[i] - r[i].length() + 2));
                }
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
