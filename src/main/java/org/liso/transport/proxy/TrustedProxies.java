package org.liso.transport.proxy;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The peers whose word on the client's address is taken ({@code --trusted-proxies}): a PROXY protocol header or an
 * X-Forwarded-For / Forwarded hop is believed only when it comes from one of these blocks. Empty by default, so
 * nothing a client writes can change the address it is logged under.
 */
public record TrustedProxies(List<Cidr> blocks) {

    public static final TrustedProxies NONE = new TrustedProxies(List.of());

    public TrustedProxies {
        blocks = List.copyOf(blocks);
    }

    /**
     * Parses a comma-separated list of addresses and CIDR blocks.
     *
     * @throws IllegalArgumentException naming the entry that is wrong
     */
    public static TrustedProxies parse(String list) {
        List<Cidr> out = new ArrayList<>();
        for (String part : list.split(",", -1)) {
            if (part.isBlank()) {
                throw new IllegalArgumentException("empty entry in '" + list + "'");
            }
            out.add(Cidr.parse(part));
        }
        return new TrustedProxies(out);
    }

    public boolean isEmpty() {
        return blocks.isEmpty();
    }

    public boolean contains(InetAddress address) {
        if (address == null) {
            return false;
        }
        for (Cidr c : blocks) {
            if (c.contains(address)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return String.join(",", blocks.stream().map(Cidr::toString).toList());
    }
}
