package org.liso.fastcgi;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;

/**
 * Where a FastCGI application listens: {@code unix:/run/php/fpm.sock}, {@code host:port} or {@code [v6]:port}. A host
 * name is resolved once, when the address is read, so the loop never waits for DNS.
 */
public record BackendAddress(SocketAddress address, String text) {

    /** @throws IllegalArgumentException with a message fit for the command line */
    public static BackendAddress parse(String text) {
        if (text.startsWith("unix:")) {
            String path = text.substring("unix:".length());
            if (path.isEmpty()) {
                throw new IllegalArgumentException("FastCGI address " + text + " names no socket path");
            }
            return new BackendAddress(UnixDomainSocketAddress.of(Path.of(path)), text);
        }
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("FastCGI address " + text
                    + " is neither unix:/path/to/socket nor host:port");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("FastCGI address " + text + " has no port between 1 and 65535");
        }
        InetSocketAddress a = new InetSocketAddress(host, port);
        if (a.isUnresolved()) {
            throw new IllegalArgumentException("FastCGI address " + text + ": host " + host + " is not known");
        }
        return new BackendAddress(a, text);
    }

    StandardProtocolFamily family() {
        if (address instanceof UnixDomainSocketAddress) {
            return StandardProtocolFamily.UNIX;
        }
        return ((InetSocketAddress) address).getAddress() instanceof java.net.Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
    }

    @Override
    public String toString() {
        return text;
    }
}
