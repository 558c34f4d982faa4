package org.liso.cli;

import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * The names {@code --tls-protocols} and {@code --tls-ciphers} accept, checked when the command line is read (a usage
 * error, before a certificate is made), and listed in the error with the exact spelling the flag takes.
 */
final class TlsNames {
    /**
     * TLS 1.0 and 1.1 are deprecated (RFC 8996) and disabled in Java 17's java.security; SSLv3 and SSLv2Hello more
     * so. JSSE lists them as supported all the same, so the list to offer is ours, not its.
     */
    static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private TlsNames() {
    }

    /** The protocols as given, spelled as JSSE spells them (the case of a letter is forgiven). */
    static List<String> protocols(List<String> given) {
        List<String> out = new ArrayList<>();
        for (String g : given) {
            String name = PROTOCOLS.stream().filter(p -> p.equalsIgnoreCase(g.trim())).findFirst()
                    .orElseThrow(() -> new CliFailure(ExitCodes.USAGE, "--tls-protocols: '" + g
                            + "' is not a protocol liso serves (accepted: " + String.join(", ", PROTOCOLS) + ")"));
            out.add(name);
        }
        return out;
    }

    /** The cipher suites as given, each one this Java runtime has. */
    static List<String> cipherSuites(List<String> given) {
        List<String> have = Arrays.stream(supportedSuites()).filter(s -> !s.endsWith("_SCSV")).toList();
        List<String> out = new ArrayList<>();
        for (String g : given) {
            String name = have.stream().filter(s -> s.equalsIgnoreCase(g.trim())).findFirst()
                    .orElseThrow(() -> new CliFailure(ExitCodes.USAGE, "--tls-ciphers: '" + g
                            + "' is not a cipher suite of this Java runtime (accepted: " + String.join(", ", have)
                            + ")"));
            out.add(name);
        }
        return out;
    }

    private static String[] supportedSuites() {
        try {
            // No key and no trust managers: enough to ask what the provider supports, without reading cacerts.
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(new KeyManager[0], new TrustManager[0], null);
            return ctx.getSupportedSSLParameters().getCipherSuites();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this Java runtime has no TLS: " + e.getMessage(), e);
        }
    }
}
