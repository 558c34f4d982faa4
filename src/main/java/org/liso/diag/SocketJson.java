package org.liso.diag;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON shape of a socket and its owners, shared by {@code who --json} and {@code doctor --json}. */
public final class SocketJson {

    private SocketJson() {
    }

    public static Map<String, Object> of(OwnedSocket o) {
        SocketEntry s = o.socket();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("protocol", s.protocol());
        m.put("family", s.v6() ? "ipv6" : "ipv4");
        m.put("local", s.localText());
        m.put("local_address", Addresses.ipText(s.local().getAddress()));
        m.put("port", s.port());
        m.put("v6only", s.v6() ? s.v6only() : null);
        m.put("remote", s.remoteText());
        boolean connected = s.remote().getPort() != 0;
        m.put("remote_address", connected ? Addresses.ipText(s.remote().getAddress()) : null);
        m.put("remote_port", connected ? s.remote().getPort() : null);
        m.put("state", s.state().label());
        // A socket no process holds (inode 0) shows uid 0 in /proc whoever owned it.
        m.put("uid", s.uid() < 0 || s.inode() == 0 ? null : s.uid());
        m.put("inode", s.inode() == 0 ? null : s.inode());
        m.put("send_queue", s.txQueue() < 0 ? null : s.txQueue());
        m.put("receive_queue", s.rxQueue() < 0 ? null : s.rxQueue());
        m.put("processes", processes(o.owners()));
        return m;
    }

    private static List<Object> processes(List<ProcessInfo> owners) {
        List<Object> ps = new ArrayList<>();
        for (ProcessInfo p : owners) {
            Map<String, Object> pm = new LinkedHashMap<>();
            pm.put("pid", p.pid());
            pm.put("uid", p.uid() < 0 ? null : p.uid());
            pm.put("user", p.user());
            pm.put("command", p.command());
            pm.put("command_line", p.commandLine());
            pm.put("fd", p.fd() < 0 ? null : p.fd());
            ps.add(pm);
        }
        return ps;
    }

    /** A Unix socket in the same shape where it applies: path for local, no port or remote. */
    public static Map<String, Object> of(UnixSocket u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("protocol", "unix");
        m.put("type", u.type());
        m.put("path", u.path());
        m.put("state", u.state());
        m.put("inode", u.inode());
        m.put("processes", processes(u.owners()));
        return m;
    }
}
