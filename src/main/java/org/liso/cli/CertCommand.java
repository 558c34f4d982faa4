package org.liso.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.liso.transport.tls.KeyMaterial;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "cert",
        mixinStandardHelpOptions = true,
        description = "Writes a self-signed certificate for localhost, 127.0.0.1 and ::1 (valid one year) and its"
                + " private key as DIR/cert.pem and DIR/key.pem, for `liso serve --key --cert` and for clients.",
        footer = {"%nExamples:",
                "  liso cert --out ./tls",
                "  liso serve --https :8443 --key ./tls/key.pem --cert ./tls/cert.pem",
                "  curl --cacert ./tls/cert.pem https://localhost:8443/",
                ExitCodes.HELP_FOOTER})
final class CertCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory for key.pem and cert.pem (created if missing).")
    Path out;

    @Option(names = "--rsa", description = "RSA 2048 instead of the default EC P-256 key.")
    boolean rsa;

    @Option(names = "--force", description = "Replace key.pem and cert.pem if they exist.")
    boolean force;

    @Option(names = "--json", description = "Print the result as one JSON document.")
    boolean json;

    @Mixin
    LogOptions logOptions;

    @Override
    public Integer call() throws Exception {
        logOptions.apply();
        Path key = out.resolve("key.pem");
        Path cert = out.resolve("cert.pem");
        if (!force && (Files.exists(key) || Files.exists(cert))) {
            throw new CliFailure(ExitCodes.USAGE, out + " already holds key.pem or cert.pem; use --force to replace"
                    + " them");
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new CliFailure(ExitCodes.USAGE, out + " exists and is not a directory");
        }
        KeyMaterial m = rsa ? KeyMaterial.selfSignedRsa() : KeyMaterial.selfSigned();
        m.writePem(out);
        if (json) {
            System.out.println("{\"key\":\"" + jsonEscape(key.toString()) + "\",\"cert\":\""
                    + jsonEscape(cert.toString()) + "\",\"key_type\":\"" + (rsa ? "RSA-2048" : "EC-P256")
                    + "\",\"not_after\":\"" + m.notAfter() + "\",\"sha256\":\"" + m.fingerprintSha256() + "\"}");
        } else {
            System.out.println("wrote " + key + " (private key, mode 0600) and " + cert);
            System.out.println("SHA-256 fingerprint " + m.fingerprintSha256());
            System.out.println("valid for localhost, 127.0.0.1, ::1 until " + m.notAfter());
            System.out.println("trust it with: curl --cacert " + cert + " https://localhost:PORT/");
        }
        return ExitCodes.OK;
    }

    private static String jsonEscape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
