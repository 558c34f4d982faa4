package org.liso.listen;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Why a Unix socket path cannot be bound: bind(2) fails with EADDRINUSE whenever the path exists, whatever it is.
 * A regular file or directory is someone's data and is never to be removed; a socket file is live when a connect
 * to it succeeds (a process listens) and stale when the connect is refused (its listener is gone).
 */
final class UnixPath {

    private UnixPath() {
    }

    /** The clause that says what is at {@code path} and what to do; empty when nothing is there. */
    static String why(Path path) {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return "";
        }
        if (!a.isOther()) {
            String what = a.isDirectory() ? "a directory" : a.isSymbolicLink() ? "a symbolic link" : "a regular file";
            return " — the path is " + what + ", not a socket; choose another path (do not remove it: it may be"
                    + " someone's data).";
        }
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(path));
            return " — a live process listens there (a connect succeeded): stop it (`liso who " + path + "` names"
                    + " it) or choose another path.";
        } catch (IOException e) {
            return " — a stale socket file: nothing listens there (connect: " + e.getMessage() + "); remove it"
                    + " (`rm " + path + "`) and start again.";
        }
    }
}
