package org.liso.diag;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Listening TCP sockets of the same processes on the same address and port, by distinct inodes: on Linux two
 * listeners can share an address only when both set SO_REUSEPORT, so such a set is one SO_REUSEPORT group (liso
 * {@code --loops N}, nginx {@code reuseport}) whose members the kernel spreads connections over.
 */
public final class ReusePortGroups {

    private ReusePortGroups() {
    }

    /** {@code sockets} in their order, each group's members together under its first: one list per group or socket. */
    public static List<List<OwnedSocket>> of(List<OwnedSocket> sockets) {
        Map<String, List<OwnedSocket>> groups = new LinkedHashMap<>();
        List<List<OwnedSocket>> out = new ArrayList<>();
        for (OwnedSocket o : sockets) {
            SocketEntry s = o.socket();
            if (!s.isListening() || s.udp() || o.owners().isEmpty()) {
                out.add(List.of(o));
                continue;
            }
            String key = s.table() + " " + s.localText() + " " + o.owners().stream().map(p -> Long.toString(p.pid()))
                    .sorted().toList();
            List<OwnedSocket> g = groups.get(key);
            if (g == null) {
                g = new ArrayList<>();
                groups.put(key, g);
                out.add(g);
            }
            g.add(o);
        }
        return out;
    }
}
