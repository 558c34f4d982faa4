package org.liso.diag;

/**
 * A process that holds a socket.
 *
 * @param pid         process id
 * @param uid         real user id, -1 when unknown
 * @param user        user name (or the uid as text when /etc/passwd does not name it)
 * @param commandLine the arguments joined by spaces; the short command name in brackets for kernel threads
 */
public record ProcessInfo(long pid, int uid, String user, String commandLine) {

    /** The program name: first word of the command line without its directory. */
    public String command() {
        String first = commandLine.split(" ", 2)[0];
        int slash = first.lastIndexOf('/');
        return slash >= 0 ? first.substring(slash + 1) : first;
    }
}
