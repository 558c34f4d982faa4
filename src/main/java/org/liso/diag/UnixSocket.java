package org.liso.diag;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A Unix-domain socket from /proc/net/unix with the processes holding it. Accepted connections show the
 * listener's path too; client ends have none, so they are not found by path.
 *
 * @param path      the bound path ({@code @name} for the abstract namespace)
 * @param type      stream, dgram or seqpacket
 * @param listening SO_ACCEPTCON is set: listen() was called
 * @param state     unconnected, connecting, connected, disconnecting
 * @param inode     socket inode
 * @param owners    the processes holding it
 */
public record UnixSocket(String path, String type, boolean listening, String state, long inode,
        List<ProcessInfo> owners) {

    /** __SO_ACCEPTCON in the Flags column (include/linux/net.h). */
    private static final int ACCEPTCON = 0x10000;

    /** The sockets bound to {@code path} on this host now. */
    public static List<UnixSocket> at(String path) throws IOException {
        Path proc = Path.of("/proc");
        SocketOwners owners = SocketOwners.scan(proc, UserNames.load(Path.of("/etc/passwd")));
        List<UnixSocket> out = new ArrayList<>();
        String text;
        try {
            text = ProcFiles.text(proc.resolve("net").resolve("unix"));
        } catch (NoSuchFileException e) {
            throw new IOException("no /proc/net/unix here: use `ss -xlp` or `lsof " + path + "`", e);
        }
        for (UnixSocket u : parse(text)) {
            if (u.path.equals(path)) {
                out.add(new UnixSocket(u.path, u.type, u.listening, u.state, u.inode, owners.of(u.inode)));
            }
        }
        return out;
    }

    /** Parses /proc/net/unix, header included: {@code Num RefCount Protocol Flags Type St Inode Path}. */
    static List<UnixSocket> parse(String text) {
        List<UnixSocket> out = new ArrayList<>();
        String[] lines = text.split("\n");
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].trim().split("\\s+", 8);
            if (f.length < 8) {
                continue; // unbound: no path to find it by
            }
            int flags = Integer.parseInt(f[3], 16);
            String type = switch (Integer.parseInt(f[4], 16)) {
                case 1 -> "stream";
                case 2 -> "dgram";
                case 5 -> "seqpacket";
                default -> "type" + f[4];
            };
            String state = switch (Integer.parseInt(f[5], 16)) {
                case 1 -> "unconnected";
                case 2 -> "connecting";
                case 3 -> "connected";
                case 4 -> "disconnecting";
                default -> "state" + f[5];
            };
            boolean listening = (flags & ACCEPTCON) != 0;
            out.add(new UnixSocket(f[7], type, listening, listening ? "listening" : state, Long.parseLong(f[6]),
                    List.of()));
        }
        return out;
    }
}
