package org.liso.cli;

import java.util.ArrayList;
import java.util.List;
import org.liso.diag.OwnedSocket;
import org.liso.diag.ProcessInfo;
import org.liso.diag.SocketEntry;

/** The human table of {@code liso who}: aligned columns, one line per socket and owning process. */
final class SocketListing {
    private static final String[] HEAD = {"PROTO", "LOCAL", "REMOTE", "STATE", "PID", "USER", "COMMAND"};

    private SocketListing() {
    }

    static String format(List<OwnedSocket> sockets) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEAD);
        for (OwnedSocket o : sockets) {
            SocketEntry s = o.socket();
            if (o.owners().isEmpty()) {
                rows.add(new String[] {s.table(), s.localText(), s.remoteText(), s.state().label(), "-",
                        s.inode() == 0 ? "-" : Integer.toString(s.uid()), s.inode() == 0 ? "(kernel)" : "?"});
            }
            for (ProcessInfo p : o.owners()) {
                rows.add(new String[] {s.table(), s.localText(), s.remoteText(), s.state().label(),
                        Long.toString(p.pid()), p.user(), p.commandLine()});
            }
        }
        int[] width = new int[HEAD.length];
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
