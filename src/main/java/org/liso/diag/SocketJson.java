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
        m.put("local_address", s.local().getAddress().getHostAddress());
        m.put("port", s.port());
        m.put("remote", s.remoteText());
        m.put("state", s.state().label());
        m.put("uid", s.uid());
        m.put("inode", s.inode());
        List<Object> ps = new ArrayList<>();
        for (ProcessInfo p : o.owners()) {
            Map<String, Object> pm = new LinkedHashMap<>();
            pm.put("pid", p.pid());
            pm.put("user", p.user());
            pm.put("command", p.command());
            pm.put("command_line", p.commandLine());
            ps.add(pm);
        }
        m.put("processes", ps);
        return m;
    }
}
