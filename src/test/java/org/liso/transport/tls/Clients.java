package org.liso.transport.tls;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.security.KeyStore;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/** Java TLS clients for the tests: trust exactly the certificate under test, verify the host name. */
final class Clients {
    private Clients() {
    }

    static SSLContext trusting(KeyMaterial material) throws Exception {
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        ts.setCertificateEntry("server", material.leaf());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    /** A connected socket with its handshake done; host name checked against the certificate's SANs. */
    static SSLSocket connect(SSLContext ctx, int port, String protocol) throws IOException {
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout(20_000);
        SSLParameters p = s.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        p.setApplicationProtocols(new String[] {"http/1.1"});
        if (protocol != null) {
            p.setProtocols(new String[] {protocol});
        }
        s.setSSLParameters(p);
        s.startHandshake();
        return s;
    }

    static byte[] readExactly(InputStream in, int n) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length != n) {
            throw new IOException("stream ended after " + b.length + " of " + n + " bytes");
        }
        return b;
    }

    /** Runs a real client process with a deadline; returns its exit status and combined output. */
    static List<String> run(List<String> command, String stdin, long timeoutSeconds) throws Exception {
        java.nio.file.Path out = java.nio.file.Files.createTempFile("liso-client", ".out");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
            try (var in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                }
            } catch (IOException closedEarly) {
                // the client exited before reading all its input; its output says why
            }
            if (!p.waitFor(timeoutSeconds, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new IOException(command + " did not finish in " + timeoutSeconds + " s; output: "
                        + java.nio.file.Files.readString(out, java.nio.charset.StandardCharsets.ISO_8859_1));
            }
            return List.of(String.valueOf(p.exitValue()),
                    java.nio.file.Files.readString(out, java.nio.charset.StandardCharsets.ISO_8859_1));
        } finally {
            java.nio.file.Files.deleteIfExists(out);
        }
    }
}
