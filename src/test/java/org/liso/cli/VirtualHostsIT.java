package org.liso.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.liso.testing.LisoProcess;
import org.liso.testing.Tool;

/**
 * Virtual hosts as real clients reach them: curl with {@code -H Host} and {@code --resolve}, python requests, and
 * headless Chromium mapping the names to 127.0.0.1; on HTTPS the certificate each name gets (SNI) is checked by the
 * client itself: curl and requests trust only that site's certificate, Chromium accepts only its public key.
 */
class VirtualHostsIT {
    @TempDir
    Path dir;

    private Path siteA;
    private Path siteB;
    private Path fallback;

    @BeforeEach
    void sites() throws IOException {
        siteA = site("a", "site A");
        siteB = site("b", "site B");
        fallback = site("d", "default site");
    }

    private Path site(String name, String text) throws IOException {
        Path root = Files.createDirectories(dir.resolve(name));
        Files.writeString(root.resolve("index.html"), "<html><body><p id=s>" + text + "</p></body></html>\n");
        return root;
    }

    /** A self-signed pair for {@code name}: EC P-256, or RSA 2048 (the SNI choice must also respect key types). */
    private Path[] pair(String name, boolean rsa) throws Exception {
        Path key = dir.resolve(name + ".key");
        Path cert = dir.resolve(name + ".crt");
        List<String> cmd = new ArrayList<>(List.of("openssl", "req", "-x509", "-nodes", "-days", "2", "-subj",
                "/CN=" + name, "-addext", "subjectAltName=DNS:" + name, "-keyout", key.toString(), "-out",
                cert.toString(), "-newkey"));
        cmd.addAll(rsa ? List.of("rsa:2048") : List.of("ec", "-pkeyopt", "ec_paramgen_curve:P-256"));
        Tool t = Tool.run(60, cmd);
        assertThat(t.exitCode()).as(t.output()).isZero();
        return new Path[] {key, cert};
    }

    private static Tool curl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-s", "--max-time", "20"));
        cmd.addAll(List.of(args));
        return Tool.run(30, cmd);
    }

    private Tool python(String script, String... args) throws Exception {
        Path py = dir.resolve("client.py");
        Files.writeString(py, script);
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", py.toString()));
        cmd.addAll(List.of(args));
        return Tool.run(60, cmd);
    }

    @Test
    void theHostFieldPicksTheSiteForCurlAndRequests() throws Exception {
        try (LisoProcess liso = LisoProcess.start(1, "serve", "--http", "127.0.0.1:0", "--site", "a.test=" + siteA,
                "--site", "www.a.test=" + siteA, "--site", "*.b.test=" + siteB, "--site", "*=" + fallback)) {
            int port = liso.port(0);
            String url = "http://127.0.0.1:" + port + "/";
            assertThat(curl("-H", "Host: a.test", url).output()).contains("site A");
            assertThat(curl("-H", "Host: WWW.A.TEST.:" + port, url).output()).contains("site A");
            assertThat(curl("-H", "Host: x.b.test", url).output()).contains("site B");
            assertThat(curl("-H", "Host: elsewhere.test", url).output()).contains("default site");
            assertThat(curl("--resolve", "a.test:" + port + ":127.0.0.1", "http://a.test:" + port + "/").output())
                    .contains("site A");
            Tool py = python("""
                    import sys, requests
                    url = sys.argv[1]
                    for host, want in (("a.test", "site A"), ("deep.x.b.test", "site B"), ("nope", "default site")):
                        r = requests.get(url, headers={"Host": host}, timeout=20)
                        assert r.status_code == 200 and want in r.text, (host, r.status_code, r.text)
                    print("requests ok")
                    """, url);
            assertThat(py.output()).contains("requests ok");
        }
    }

    @Test
    void anUnknownHostWithoutADefaultSiteGets421() throws Exception {
        try (LisoProcess liso = LisoProcess.start(1, "serve", "--http", "127.0.0.1:0", "--site", "a.test=" + siteA)) {
            String url = "http://127.0.0.1:" + liso.port(0) + "/";
            assertThat(curl("-o", "/dev/null", "-w", "%{http_code}", "-H", "Host: a.test", url).output())
                    .isEqualTo("200");
            assertThat(curl("-o", "/dev/null", "-w", "%{http_code}", "-H", "Host: b.test", url).output())
                    .isEqualTo("421");
            assertThat(curl("-o", "/dev/null", "-w", "%{http_code}", "--http1.0", "-H", "Host:", url).output())
                    .isEqualTo("421");
            Tool py = python("""
                    import sys, requests
                    s = requests.Session()
                    r = s.get(sys.argv[1], headers={"Host": "b.test"}, timeout=20)
                    assert r.status_code == 421, r.status_code
                    r = s.get(sys.argv[1], headers={"Host": "a.test"}, timeout=20)
                    assert r.status_code == 200 and "site A" in r.text, r.text
                    print("requests ok")
                    """, url);
            assertThat(py.output()).contains("requests ok");
        }
    }

    @Test
    void sniPicksEachSitesCertificateForCurlAndRequests() throws Exception {
        Path[] a = pair("a.test", false);
        Path[] b = pair("b.test", true);
        try (LisoProcess liso = LisoProcess.start(2, "serve", "--http", "127.0.0.1:0", "--https", "127.0.0.1:0",
                "--site", "a.test=" + siteA, "--site", "b.test=" + siteB, "--site", "*=" + fallback,
                "--site-cert", "a.test=" + a[0] + "," + a[1], "--site-cert", "b.test=" + b[0] + "," + b[1])) {
            int port = liso.port(1);
            // curl verifies the name and trusts only the one site's certificate: a wrong choice fails the handshake.
            for (String[] site : new String[][] {{"a.test", a[1].toString(), "site A"},
                    {"b.test", b[1].toString(), "site B"}}) {
                Tool t = curl("--cacert", site[1], "--resolve", site[0] + ":" + port + ":127.0.0.1",
                        "https://" + site[0] + ":" + port + "/");
                assertThat(t.exitCode()).as(t.output()).isZero();
                assertThat(t.output()).contains(site[2]);
            }
            Tool wrong = curl("--cacert", a[1].toString(), "--resolve", "b.test:" + port + ":127.0.0.1",
                    "https://b.test:" + port + "/");
            assertThat(wrong.exitCode()).as("b.test is not served a.test's certificate").isNotZero();
            Tool other = curl("-kv", "--resolve", "other.test:" + port + ":127.0.0.1",
                    "https://other.test:" + port + "/");
            assertThat(other.output()).contains("CN=localhost").contains("default site");
            // requests (urllib3) sends the URL's host as SNI; the names resolve to 127.0.0.1 inside the script.
            Tool py = python("""
                    import socket, sys, requests
                    real = socket.getaddrinfo
                    socket.getaddrinfo = lambda host, *a, **k: real("127.0.0.1" if host.endswith(".test") else host, *a, **k)
                    port, a_crt, b_crt = sys.argv[1:4]
                    for host, crt, want in (("a.test", a_crt, "site A"), ("b.test", b_crt, "site B")):
                        r = requests.get("https://%s:%s/" % (host, port), verify=crt, timeout=20)
                        assert r.status_code == 200 and want in r.text, (host, r.text)
                    try:
                        requests.get("https://b.test:%s/" % port, verify=a_crt, timeout=20)
                        raise SystemExit("b.test accepted with a.test's certificate")
                    except requests.exceptions.SSLError:
                        pass
                    print("requests ok")
                    """, Integer.toString(port), a[1].toString(), b[1].toString());
            assertThat(py.output()).contains("requests ok");
        }
    }

    /** base64(SHA-256(SubjectPublicKeyInfo)), the form of Chromium's --ignore-certificate-errors-spki-list. */
    private static String spki(Path cert) throws Exception {
        X509Certificate c;
        try (var in = Files.newInputStream(cert)) {
            c = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        return Base64.getEncoder().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(c.getPublicKey().getEncoded()));
    }

    /** Headless Chromium loads {@code url} with only {@code spki} accepted, and prints the DOM it got. */
    private Tool chromium(String url, String spki) throws Exception {
        Path profile = Files.createTempDirectory(dir, "chromium");
        return Tool.run(120, "chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--host-resolver-rules=MAP *.test 127.0.0.1",
                "--ignore-certificate-errors-spki-list=" + spki, "--dump-dom", url);
    }

    @Test
    void chromiumGetsEachSiteWithItsOwnCertificate() throws Exception {
        Path[] a = pair("a.test", false);
        Path[] b = pair("b.test", true);
        try (LisoProcess liso = LisoProcess.start(2, "serve", "--http", "127.0.0.1:0", "--https", "127.0.0.1:0",
                "--site", "a.test=" + siteA, "--site", "b.test=" + siteB, "--site", "*=" + fallback,
                "--site-cert", "a.test=" + a[0] + "," + a[1], "--site-cert", "b.test=" + b[0] + "," + b[1])) {
            int port = liso.port(1);
            assertThat(chromium("https://a.test:" + port + "/", spki(a[1])).output()).contains("site A");
            assertThat(chromium("https://b.test:" + port + "/", spki(b[1])).output()).contains("site B");
            // The same check refuses a certificate it was not given: another name gets the default pair.
            Tool refused = chromium("https://other.test:" + port + "/", spki(a[1]));
            assertThat(refused.output()).doesNotContain("default site").contains("ERR_CERT");
        }
    }

    private static String servedSubject(int port, String serverName) throws Exception {
        Tool t = Tool.run(30, "bash", "-c", "openssl s_client -connect 127.0.0.1:" + port + " -servername "
                + serverName + " </dev/null 2>/dev/null | openssl x509 -noout -subject -fingerprint -sha256");
        return t.output();
    }

    @Test
    void sighupRereadsTheSiteCertificates() throws Exception {
        Path[] a = pair("a.test", false);
        try (LisoProcess liso = LisoProcess.start(2, "serve", "--http", "127.0.0.1:0", "--https", "127.0.0.1:0",
                "--site", "a.test=" + siteA, "--site", "*=" + fallback, "--site-cert", "a.test=" + a[0] + "," + a[1])) {
            int port = liso.port(1);
            String first = servedSubject(port, "a.test");
            assertThat(first).contains("CN = a.test");
            assertThat(servedSubject(port, "other.test")).contains("CN = localhost");
            Path[] renewed = pair("a.test", true); // same files, a new (RSA) pair
            assertThat(renewed[1]).isEqualTo(a[1]);
            assertThat(Tool.run(10, "kill", "-HUP", Long.toString(liso.pid())).exitCode()).isZero();
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
            String now = servedSubject(port, "a.test");
            while (now.equals(first)) {
                assertThat(System.nanoTime()).as("new pair served; stderr: %s", liso.stderr()).isLessThan(deadline);
                Thread.sleep(100);
                now = servedSubject(port, "a.test");
            }
            assertThat(now).contains("CN = a.test");
            assertThat(liso.stderr()).contains("SIGHUP: site certificates reloaded sites=1");
            Tool t = curl("--cacert", a[1].toString(), "--resolve", "a.test:" + port + ":127.0.0.1",
                    "https://a.test:" + port + "/");
            assertThat(t.output()).contains("site A");
        }
    }
}
