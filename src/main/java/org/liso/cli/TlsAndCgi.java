package org.liso.cli;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.liso.Log;

/** HTTPS and CGI for serve and lisod. Until their rooms land, the arguments are checked and reported as not served. */
final class TlsAndCgi {
    private TlsAndCgi() {
    }

    static void configure(ServerRunner r, InetSocketAddress https, Path key, Path cert, char[] password, Path cgi,
            long unused) {
        if (https != null) {
            readable("key-file", key);
            readable("cert-file", cert);
            Log.warn("lisod", "HTTPS is not served yet by this build", "address", org.liso.diag.Addresses.format(https), "key", key, "cert", cert);
        }
        if (cgi != null) {
            Log.warn("lisod", "CGI is not served yet by this build", "script", cgi);
        }
    }

    private static void readable(String what, Path p) {
        if (p != null && !Files.isReadable(p)) {
            throw new CliFailure(ExitCodes.CONFIG, what + " " + p + " is missing or not readable");
        }
    }
}
