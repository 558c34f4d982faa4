package org.liso.diag;

/**
 * A process that holds a socket.
 *
 * @param pid         process id
 * @param uid         real user id, -1 when unknown
 * @param user        user name (or the uid as text when /etc/passwd does not name it)
 * @param name        the kernel's name for it (/proc/PID/comm), which survives a process rewriting its argv
 *                    ({@code nginx: master process …})
 * @param commandLine the arguments joined by spaces; the short command name in brackets for kernel threads
 * @param fd          the descriptor number at which it holds the socket; -1 when unknown
 */
public record ProcessInfo(long pid, int uid, String user, String name, String commandLine, int fd) {

    /** The program name: the kernel's name when known, else the command line's first word without its directory. */
    public String command() {
        if (!name.isEmpty() && !name.equals("?")) {
            return name;
        }
        String first = commandLine.split(" ", 2)[0];
        int slash = first.lastIndexOf('/');
        return slash >= 0 ? first.substring(slash + 1) : first;
    }

    /** The same process holding a socket at descriptor {@code number}. */
    ProcessInfo atFd(int number) {
        return new ProcessInfo(pid, uid, user, name, commandLine, number);
    }
}
