package org.liso.diag;

import java.util.List;

/** A socket and the processes that hold it (none for TIME_WAIT, or when they belong to another user). */
public record OwnedSocket(SocketEntry socket, List<ProcessInfo> owners) {

    /** "pid 1234 (python3, user alice)" for each owner, or a note why none is known. */
    public String ownersText() {
        if (owners.isEmpty()) {
            if (socket.inode() == 0) {
                return "no process (the kernel keeps it after close)";
            }
            return HostFacts.isRoot() ? "a process outside this PID namespace (another container or sandbox)"
                    : "an unknown process (not readable as this user; run as root to see it)";
        }
        StringBuilder sb = new StringBuilder();
        for (ProcessInfo p : owners) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append("pid ").append(p.pid()).append(" (").append(p.commandLine()).append(", user ").append(p.user())
                    .append(')');
        }
        return sb.toString();
    }
}
