package org.liso.cli;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.liso.Log;
import org.liso.transport.tls.KeyMaterial;
import org.liso.transport.tls.TlsConfigException;
import org.liso.transport.tls.TlsProvider;
import org.liso.transport.tls.TlsSettings;
import org.liso.transport.tls.TlsTransportFactory;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The HTTPS flags of serve; lisod passes its key-file and cert-file through the same code. */
final class TlsFlags {

    /** Where HTTPS listens when it is on but no --https address was given. */
    static final String DEFAULT_HTTPS = "127.0.0.1:8443";

    @Option(names = "--https", paramLabel = "ADDR", description = {"Serve HTTPS on this address, on the same loop. HTTPS is opt-in:",
            "it runs only with --https or --key/--cert (then on " + DEFAULT_HTTPS + " unless --https says where),",
            "or in the no-argument demo."})
    String https;

    @Option(names = "--no-https", description = "Serve plain HTTP only (also in the demo).")
    boolean noHttps;

    @Option(names = "--key", paramLabel = "FILE", description = "PEM private key (PKCS#8, PKCS#1 RSA, SEC1 EC, encrypted PKCS#8). Without --key/--cert a self-signed certificate for localhost is made at start-up.")
    Path key;

    @Option(names = "--cert", paramLabel = "FILE", description = "PEM certificate chain, leaf first.")
    Path cert;

    @Option(names = "--key-password-env", paramLabel = "VAR", description = "Environment variable holding the password of an encrypted key.")
    String keyPasswordEnv;

    @Option(names = "--tls-protocols", paramLabel = "LIST", split = ",", description = "TLS versions, of TLSv1.3 and TLSv1.2 (default: both).")
    List<String> protocols;

    @Option(names = "--tls-ciphers", paramLabel = "LIST", split = ",", description = "TLS 1.2 cipher suites, in preference order (default: ECDHE with AEAD only).")
    List<String> ciphers;

    @Option(names = "--no-tls-resumption", description = "Turn TLS session resumption off (every connection does a full handshake).")
    boolean noResumption;

    @Option(names = "--tls-ticket-rotation", paramLabel = "TIME", description = {"How long a session-ticket key issues tickets; it then",
            "resumes them for as long again and is dropped (whole seconds, 1s-24h; default: ${DEFAULT-VALUE}).",
            "Both engines, all loops: each key is a server context of its own (docs/tls.md)."})
    TimeSpan ticketRotation = new TimeSpan(TlsSettings.DEFAULT_TICKET_ROTATION_MILLIS);

    @Option(names = "--handshake-timeout", paramLabel = "TIME", description = "Time from accept to a finished TLS handshake; a client that stalls is closed (default: ${DEFAULT-VALUE}).")
    TimeSpan handshakeTimeout = new TimeSpan(TlsSettings.DEFAULT_HANDSHAKE_TIMEOUT_MILLIS);

    @Option(names = "--tls-provider", paramLabel = "NAME", description = "TLS engine: auto (native BoringSSL where its library loads, else the JDK's JSSE), native (an error where it cannot load), jdk (default: ${DEFAULT-VALUE}).")
    String provider = "auto";

    @Option(names = "--hsts", paramLabel = "TIME", description = "Send Strict-Transport-Security with this max-age on HTTPS responses, e.g. 365d (default: off).")
    TimeSpan hsts = new TimeSpan(0);

    /** The max-age of Strict-Transport-Security in seconds (RFC 6797 §6.1.1 counts whole seconds), 0 for none. */
    long hstsSeconds() {
        if (hsts.millis() % 1000 != 0) {
            throw new CliFailure(ExitCodes.USAGE, "--hsts counts whole seconds, was " + hsts);
        }
        return hsts.millis() / 1000;
    }

    /** The command this mixin is part of, for which options were given. */
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    private static final String[] HTTPS_ONLY = {"--https", "--key", "--cert", "--key-password-env", "--tls-protocols",
            "--tls-ciphers", "--no-tls-resumption", "--tls-ticket-rotation", "--tls-provider", "--handshake-timeout",
        "--hsts"};

    /**
     * The HTTPS address, or null when HTTPS is off: it is opt-in, so a second site started with only --http does not
     * collide with the first on the default HTTPS port.
     *
     * @param demo true for the demo site on its default addresses, which shows HTTPS too
     */
    InetSocketAddress address(boolean demo) {
        if (noHttps) {
            return null;
        }
        if (https != null) {
            return org.liso.diag.Addresses.parse(https, "127.0.0.1");
        }
        return key != null || cert != null || demo ? org.liso.diag.Addresses.parse(DEFAULT_HTTPS, "127.0.0.1") : null;
    }

    /**
     * Options that mean something only when HTTPS runs: with {@code --no-https}, or with HTTPS off (it is opt-in),
     * each is a usage error rather than silently nothing.
     */
    void checkApplies(boolean httpsOn) {
        CommandLine.ParseResult given = command.commandLine().getParseResult();
        for (String option : HTTPS_ONLY) {
            if (!given.hasMatchedOption(option)) {
                continue;
            }
            if (noHttps) {
                throw new CliFailure(ExitCodes.USAGE, "--no-https and " + option + " exclude each other");
            }
            if (!httpsOn) {
                throw new CliFailure(ExitCodes.USAGE, option + " applies to HTTPS, which is off (add --https ADDR,"
                        + " or --key and --cert)");
            }
        }
    }

    /**
     * Checks every HTTPS option without acting on any: the pair, the settings, the password variable. What it
     * returns builds the transport factory: from --key/--cert, or a self-signed pair announced with its fingerprint.
     */
    Checked check() {
        if ((key == null) != (cert == null)) {
            throw new CliFailure(ExitCodes.USAGE, "--key and --cert go together");
        }
        TlsSettings settings = settings();
        if (settings.provider() != TlsProvider.JDK) {
            TlsTransportFactory.preloadNativeEngine();
        }
        char[] password = keyPasswordEnv == null ? null
                : java.util.Optional.ofNullable(System.getenv(keyPasswordEnv)).map(String::toCharArray).orElseThrow(
                        () -> new CliFailure(ExitCodes.CONFIG, "environment variable " + keyPasswordEnv + " is not set"));
        return new Checked(key, cert, password, settings);
    }

    /** The HTTPS options once checked; SIGHUP reloads the files (a bad new pair is rejected, the old one stays). */
    record Checked(Path key, Path cert, char[] password, TlsSettings settings) {
        Checked withAlpn(java.util.List<String> protocols) {
            return new Checked(key, cert, password, settings.withApplicationProtocols(protocols));
        }

        TlsTransportFactory factory(java.util.function.Consumer<String> announce) {
            return build(key, cert, password, settings, announce);
        }
    }

    TlsSettings settings() {
        TlsSettings s = TlsSettings.DEFAULT;
        if (protocols != null) {
            s = s.withProtocols(TlsNames.protocols(protocols));
        }
        if (ciphers != null) {
            s = s.withCipherSuites(TlsNames.cipherSuites(ciphers));
        }
        return s.withSessionResumption(!noResumption).withProvider(provider())
                .withHandshakeTimeoutMillis(handshakeTimeout.positive("--handshake-timeout"))
                .withTicketRotationMillis(ticketRotationMillis());
    }

    private long ticketRotationMillis() {
        if (noResumption && command != null
                && command.commandLine().getParseResult().hasMatchedOption("--tls-ticket-rotation")) {
            throw new CliFailure(ExitCodes.USAGE, "--no-tls-resumption and --tls-ticket-rotation exclude each other"
                    + " (without resumption there are no tickets)");
        }
        long ms = ticketRotation.millis();
        if (ms % 1000 != 0 || ms < 1000 || ms > TlsSettings.MAX_TICKET_ROTATION_MILLIS) {
            throw new CliFailure(ExitCodes.USAGE, "--tls-ticket-rotation must be whole seconds from 1s to 24h, was "
                    + ticketRotation);
        }
        return ms;
    }

    private TlsProvider provider() {
        for (TlsProvider p : TlsProvider.values()) {
            if (p.flagValue().equalsIgnoreCase(provider.trim())) {
                return p;
            }
        }
        throw new CliFailure(ExitCodes.USAGE, "--tls-provider: '" + provider + "' is not an engine (accepted: auto,"
                + " native, jdk)");
    }

    static TlsTransportFactory build(Path key, Path cert, char[] password, TlsSettings settings,
            java.util.function.Consumer<String> announce) {
        try {
            KeyMaterial m;
            if (key == null) {
                m = KeyMaterial.selfSigned();
                announce.accept("liso serve: self-signed certificate for localhost, 127.0.0.1, ::1 (SHA-256 "
                        + m.fingerprintSha256() + "); `liso cert --out DIR` writes a reusable pair");
            } else {
                m = KeyMaterial.load(key, cert, password);
            }
            TlsTransportFactory f = new TlsTransportFactory(m, settings);
            announce.accept("liso serve: TLS engine " + f.engineDescription());
            if (key != null) {
                // The reload needs the password again: a copy of its own, since the caller's is wiped below.
                char[] forReload = password == null ? null : password.clone();
                Signals.onReload(() -> {
                    Log.info("tls", "SIGHUP: reloading key and certificate", "key", key, "cert", cert);
                    f.reload(key, cert, forReload);
                });
            }
            if (password != null) {
                Arrays.fill(password, '\0');
            }
            return f;
        } catch (TlsConfigException e) {
            throw new CliFailure(ExitCodes.CONFIG, e.getMessage());
        }
    }
}
