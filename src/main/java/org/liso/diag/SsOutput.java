package org.liso.diag;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fallback where /proc/net is not there: runs {@code ss -tuanpHe} and parses its lines. Process names come from
 * ss ({@code users:(("name",pid=…,fd=…))}), so the command line is only the short name.
 */
public final class SsOutput {

    private static final Pattern USER = Pattern.compile("\\(\"((?:[^\"\\\\]|\\\\.)*)\",pid=(\\d+),fd=(\\d+)\\)");
    private static final Pattern UID = Pattern.compile("\\buid:(\\d+)");
    private static final Pattern INODE = Pattern.compile("\\bino:(\\d+)");
    private static final Pattern V6ONLY = Pattern.compile("\\bv6only:(\\d)");

    private SsOutput() {
    }

    static SocketTable snapshot() throws IOException {
        Process p;
        try {
            p = new ProcessBuilder("ss", "-tuanpHe").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new IOException("no /proc/net here and `ss` could not be run (" + e.getMessage()
                    + "); install iproute2 or mount /proc", e);
        }
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            p.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new SocketTable(parse(text, UserNames.load(java.nio.file.Path.of("/etc/passwd"))),
                "ss -tuanpHe (no /proc/net here)", 0);
    }

    /** Parses {@code ss -tuanpHe} output. */
    public static List<OwnedSocket> parse(String text, UserNames names) {
        List<OwnedSocket> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 6 || !(f[0].equals("tcp") || f[0].equals("udp"))) {
                continue;
            }
            boolean udp = f[0].equals("udp");
            InetSocketAddress local = endpoint(f[4]);
            InetSocketAddress remote = endpoint(f[5]);
            boolean v6 = local.getAddress() instanceof Inet6Address || f[4].startsWith("[::ffff:");
            int uid = (int) find(UID, line, -1);
            long inode = find(INODE, line, 0);
            // ss writes a dual-stack [::] as *:port, a v6only one as [::]:port, and says v6only:N with -e.
            boolean v6only = find(V6ONLY, line, f[4].startsWith("*:") ? 0 : 1) == 1 && v6;
            SocketEntry e = new SocketEntry(udp, v6, v6only, local, remote, TcpState.ofLabel(f[1]), uid, inode,
                    Long.parseLong(f[3]), Long.parseLong(f[2]));
            List<ProcessInfo> owners = new ArrayList<>();
            Matcher m = USER.matcher(line);
            while (m.find()) {
                String user = uid < 0 ? "?" : names.name(uid);
                owners.add(new ProcessInfo(Long.parseLong(m.group(2)), uid, user, m.group(1), m.group(1),
                        Integer.parseInt(m.group(3))));
            }
            out.add(new OwnedSocket(e, owners));
        }
        return out;
    }

    /** {@code 127.0.0.1:80}, {@code [::1]:80}, {@code *:80} (IPv6 wildcard, dual-stack), {@code 10.0.0.1%eth0:68}. */
    static InetSocketAddress endpoint(String text) {
        int colon = text.lastIndexOf(':');
        String host = text.substring(0, colon);
        String port = text.substring(colon + 1);
        int scope = host.indexOf('%');
        if (scope >= 0) {
            host = host.substring(0, scope) + (host.startsWith("[") ? "]" : "");
        }
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            InetAddress a = host.equals("*") ? InetAddress.getByName("::") : InetAddress.getByName(host);
            return new InetSocketAddress(a, port.equals("*") ? 0 : Integer.parseInt(port));
        } catch (IOException e) {
            throw new IllegalArgumentException("not an ss address: " + text, e);
        }
    }

    private static long find(Pattern p, String line, long otherwise) {
        Matcher m = p.matcher(line);
        return m.find() ? Long.parseLong(m.group(1)) : otherwise;
    }
}
