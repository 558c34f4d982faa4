package org.liso.diag;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * IPV6_V6ONLY per socket inode. /proc/net/tcp6 does not carry the flag; the kernel reports it only over netlink
 * (inet_diag's INET_DIAG_SKV6ONLY), which the JDK cannot speak, so this asks {@code ss -e}, which prints
 * {@code v6only:0|1}. Without ss the sysctl default net.ipv6.bindv6only stands in, and {@link #known()} says so.
 */
final class V6OnlyFlags {

    private static final Pattern INODE = Pattern.compile("\\bino:(\\d+)");
    private static final Pattern FLAG = Pattern.compile("\\bv6only:(\\d)");

    /** Starting ss takes a handful of descriptors; with fewer free the spawn itself fails, noisily. */
    static final long MIN_FREE_FDS = 32;

    private final Map<Long, Boolean> byInode;

    private V6OnlyFlags(Map<Long, Boolean> byInode) {
        this.byInode = byInode;
    }

    /** The flags of this host's bound IPv6 TCP and UDP sockets now; empty when ss cannot be run. */
    static V6OnlyFlags live() {
        try {
            Process p = new ProcessBuilder("ss", "-Hnetul", "-6").redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(5, TimeUnit.SECONDS);
            return parse(text);
        } catch (IOException e) {
            return unknown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unknown();
        }
    }

    /** No flags known: the sysctl default stands. */
    static V6OnlyFlags unknown() {
        return new V6OnlyFlags(null);
    }

    static V6OnlyFlags parse(String ssOutput) {
        Map<Long, Boolean> m = new HashMap<>();
        for (String line : ssOutput.split("\n")) {
            Matcher i = INODE.matcher(line);
            Matcher f = FLAG.matcher(line);
            if (i.find() && f.find()) {
                m.put(Long.parseLong(i.group(1)), f.group(1).equals("1"));
            }
        }
        return new V6OnlyFlags(m);
    }

    /** False when ss could not be asked: the flags are then the sysctl default. */
    boolean known() {
        return byInode != null;
    }

    SocketEntry apply(SocketEntry e) {
        if (byInode == null || !e.v6() || e.inode() == 0) {
            return e;
        }
        Boolean only = byInode.get(e.inode());
        return only == null ? e : e.withV6Only(only);
    }
}
