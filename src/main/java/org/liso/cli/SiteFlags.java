package org.liso.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.liso.Log;
import org.liso.transport.tls.KeyMaterial;
import org.liso.transport.tls.TlsConfigException;
import org.liso.transport.tls.TlsTransportFactory;
import picocli.CommandLine.Option;

/** The virtual-host flags of serve: a document root per host name, and a certificate per name for HTTPS (SNI). */
final class SiteFlags {

    @Option(names = "--site", paramLabel = "NAME=DIR", description = {"A site (virtual host) for requests whose Host",
            "(HTTP/2 :authority) is NAME, served from DIR (repeatable). NAME is a host name, *.domain for its",
            "subdomains, or * for every other host; --root is that default too. Without a default site an",
            "unknown host gets 421. CGI (--cgi) answers /cgi/ on every site."})
    List<String> sites = new ArrayList<>();

    @Option(names = "--site-cert", paramLabel = "NAME=KEY,CERT", description = {"The PEM key and certificate HTTPS",
            "sends to a client asking for the --site NAME in its TLS handshake (SNI; repeatable); other clients",
            "get --key/--cert (or the self-signed pair). SIGHUP re-reads them."})
    List<String> siteCerts = new ArrayList<>();

    /** One --site-cert value, checked. */
    record SiteCert(String name, Path key, Path cert) {
    }

    /** The sites, or an empty table without --site (then --root alone serves every host, as ever). */
    SiteTable table(Path root) {
        return SiteTable.parse(sites, sites.isEmpty() ? null : root);
    }

    /**
     * The --site-cert values; each must name a --site (not *, whose pair is --key/--cert).
     *
     * @throws CliFailure usage (2) for a malformed value, a name no --site has, or HTTPS off
     */
    List<SiteCert> certificates(SiteTable table, boolean httpsOn) {
        List<SiteCert> out = new ArrayList<>();
        for (String s : siteCerts) {
            int eq = s.indexOf('=');
            int comma = s.indexOf(',', eq + 1);
            if (eq <= 0 || comma < 0 || comma == eq + 1 || comma == s.length() - 1) {
                throw new CliFailure(ExitCodes.USAGE, "--site-cert wants NAME=KEY,CERT, got '" + s + "'");
            }
            String name = SiteTable.normalize(s.substring(0, eq));
            if (name.equals(SiteTable.DEFAULT) || !table.roots().containsKey(name)) {
                throw new CliFailure(ExitCodes.USAGE, "--site-cert " + name + " names no --site (sites: "
                        + String.join(", ", table.roots().keySet()) + "; the default pair is --key/--cert)");
            }
            out.add(new SiteCert(name, Path.of(s.substring(eq + 1, comma)), Path.of(s.substring(comma + 1))));
        }
        if (!out.isEmpty() && !httpsOn) {
            throw new CliFailure(ExitCodes.USAGE, "--site-cert applies to HTTPS, which is off (add --https ADDR,"
                    + " or --key and --cert)");
        }
        return out;
    }

    /** Loads every pair; a bad one is a config error (78) naming its site. */
    static Map<String, KeyMaterial> load(List<SiteCert> certs) throws TlsConfigException {
        Map<String, KeyMaterial> out = new LinkedHashMap<>();
        for (SiteCert c : certs) {
            try {
                out.put(c.name(), KeyMaterial.load(c.key(), c.cert(), null));
            } catch (TlsConfigException e) {
                throw new TlsConfigException("--site-cert " + c.name() + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    /**
     * Serves the pairs on {@code tls} now, and again from the files on every SIGHUP (a pair that no longer loads
     * is logged and the previous ones stay).
     *
     * @param current the pairs to read on each SIGHUP (a configuration reload may change them)
     */
    static void serve(TlsTransportFactory tls, java.util.function.Supplier<List<SiteCert>> current) {
        try {
            if (!tls.useSiteCertificates(load(current.get()))) {
                throw new CliFailure(ExitCodes.CONFIG, "the --site-cert pairs cannot be used (see the log)");
            }
        } catch (TlsConfigException e) {
            throw new CliFailure(ExitCodes.CONFIG, e.getMessage());
        }
        Signals.onReload(() -> {
            try {
                List<SiteCert> certs = current.get();
                if (tls.useSiteCertificates(load(certs))) {
                    Log.info("tls", "SIGHUP: site certificates reloaded", "sites", certs.size());
                }
            } catch (TlsConfigException e) {
                Log.error("tls", "site certificate reload rejected, still serving the previous ones", "error",
                        e.getMessage());
            }
        });
    }
}
