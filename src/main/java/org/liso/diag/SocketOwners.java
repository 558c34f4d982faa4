package org.liso.diag;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps socket inodes to the processes holding them, by reading the {@code socket:[inode]} links in
 * /proc/PID/fd. Without root only one's own processes can be read; {@link #unreadable()} counts the others so the
 * report can say that some owners may be missing.
 */
public final class SocketOwners {

    private final Map<Long, List<ProcessInfo>> byInode = new HashMap<>();
    private int unreadable;

    private SocketOwners() {
    }

    /** Scans every process under {@code procRoot}; user names come from {@code passwd}. */
    public static SocketOwners scan(Path procRoot, UserNames passwd) throws IOException {
        SocketOwners owners = new SocketOwners();
        try (DirectoryStream<Path> pids = Files.newDirectoryStream(procRoot, p -> isNumber(p.getFileName().toString()))) {
            for (Path dir : pids) {
                owners.scanProcess(dir, passwd);
            }
        }
        return owners;
    }

    private void scanProcess(Path dir, UserNames passwd) {
        Map<Long, Integer> inodes = new HashMap<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(dir.resolve("fd"))) {
            for (Path fd : fds) {
                long inode = socketInode(fd);
                if (inode > 0) {
                    inodes.merge(inode, fdNumber(fd), Math::min);
                }
            }
        } catch (IOException | SecurityException e) {
            // another user's process, or it ended while we looked
            unreadable++;
            return;
        }
        if (inodes.isEmpty()) {
            return;
        }
        ProcessInfo info = describe(dir, passwd);
        for (Map.Entry<Long, Integer> e : inodes.entrySet()) {
            byInode.computeIfAbsent(e.getKey(), k -> new ArrayList<>(1)).add(info.atFd(e.getValue()));
        }
    }

    private static int fdNumber(Path fd) {
        try {
            return Integer.parseInt(fd.getFileName().toString());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static long socketInode(Path fd) {
        try {
            String target = Files.readSymbolicLink(fd).toString();
            if (target.startsWith("socket:[") && target.endsWith("]")) {
                return Long.parseLong(target.substring(8, target.length() - 1));
            }
        } catch (IOException | NumberFormatException | UnsupportedOperationException e) {
            // closed meanwhile, or not a link
        }
        return -1;
    }

    static ProcessInfo describe(Path dir, UserNames passwd) {
        long pid = Long.parseLong(dir.getFileName().toString());
        int uid = -1;
        String name = "?";
        try {
            for (String line : Files.readAllLines(dir.resolve("status"), StandardCharsets.UTF_8)) {
                if (line.startsWith("Uid:")) {
                    uid = Integer.parseInt(line.substring(4).trim().split("\\s+")[0]);
                } else if (line.startsWith("Name:")) {
                    name = line.substring(5).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // keep what we have
        }
        String cmd;
        try {
            byte[] raw = ProcFiles.bytes(dir.resolve("cmdline"));
            // Arguments are NUL-separated; control characters inside them (a newline in `python3 -c`) would break
            // the one-line report, so they become spaces, as ps shows them.
            cmd = new String(raw, StandardCharsets.UTF_8).replaceAll("[\\x00-\\x1f\\x7f]", " ").trim();
        } catch (IOException e) {
            cmd = "";
        }
        if (cmd.isEmpty()) {
            cmd = "[" + name + "]";
        }
        return new ProcessInfo(pid, uid, uid < 0 ? "?" : passwd.name(uid), name, cmd, -1);
    }

    /** The processes holding socket {@code inode}; empty when none could be seen. */
    public List<ProcessInfo> of(long inode) {
        return byInode.getOrDefault(inode, List.of());
    }

    /** Processes whose descriptors could not be read (not ours, and we are not root). */
    public int unreadable() {
        return unreadable;
    }

    private static boolean isNumber(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
