#!/usr/bin/env bash
# Server CPU per TLS 1.3 full handshake, resumed handshake and keep-alive 1 KiB request for three SSLEngines over the
# same RSA 2048 key, in memory (bench/EngineCost.java): JSSE, Conscrypt (Liso's native engine, BoringSSL) and netty's
# OpenSSL engine over netty-tcnative's dynamic build, i.e. the system's libssl.so.3. Beside them, the RSA-2048
# signature alone in BoringSSL and in the system's OpenSSL (`openssl speed`). Every engine runs in a JVM of its own,
# alternating (A B C A B C), pinned to CPU 1.
#   bench/engine-cost.sh [SECONDS [ROUNDS]]        # default 3 s per cell (6 s of warm-up first), 3 rounds
#
# netty-tcnative 2.0.81's dynamic build (the only served one that links OpenSSL 3) asks libssl.so.3 for the version
# OPENSSL_3.2.0, for one function, SSL_get0_group_name. Where the system has OpenSSL 3.0 (Debian 12, Ubuntu 22.04 and
# 24.04) it does not load; for this MEASUREMENT only, the script then makes a copy of the library whose requirement
# of that version is weak and preloads a 6-line shim that answers SSL_get0_group_name through OpenSSL 3.0's
# SSL_group_to_name. Nothing of this is, or should be, part of Liso (docs/tls.md, "netty-tcnative measured").
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
SECONDS_PER_CELL="${1:-3}" ROUNDS="${2:-3}"
NETTY=4.2.18.Final TCNATIVE=2.0.81.Final CONSCRYPT=2.9.0
w="$here/bench/work/engine-cost"
mkdir -p "$w/lib"
[ -f "$w/cert.pem" ] || openssl req -x509 -newkey rsa:2048 -nodes -keyout "$w/key.pem" -out "$w/cert.pem" \
    -subj /CN=localhost -days 30 2>/dev/null

cat > "$w/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>bench</groupId><artifactId>engine-cost</artifactId><version>1</version>
  <dependencies>
    <dependency><groupId>org.conscrypt</groupId><artifactId>conscrypt-openjdk-uber</artifactId><version>$CONSCRYPT</version></dependency>
    <dependency><groupId>io.netty</groupId><artifactId>netty-handler</artifactId><version>$NETTY</version></dependency>
    <dependency><groupId>io.netty</groupId><artifactId>netty-tcnative-classes</artifactId><version>$TCNATIVE</version></dependency>
    <dependency><groupId>io.netty</groupId><artifactId>netty-tcnative</artifactId><version>$TCNATIVE</version><classifier>linux-x86_64</classifier></dependency>
  </dependencies>
</project>
EOF
[ -s "$w/cp.txt" ] || mvn -q -B -f "$w/pom.xml" dependency:build-classpath -Dmdep.outputFile="$w/cp.txt" >/dev/null
cp=$(cat "$w/cp.txt")
preload=
tcnative_jar=$(tr ':' '\n' < "$w/cp.txt" | grep "netty-tcnative-$TCNATIVE-linux-x86_64.jar")
rm -rf "$w/lib/x" && mkdir "$w/lib/x" && (cd "$w/lib/x" && unzip -q "$tcnative_jar")
so="$w/lib/x/META-INF/native/libnetty_tcnative_linux_x86_64.so"
if ! objdump -T /lib/x86_64-linux-gnu/libssl.so.3 | grep -q 'OPENSSL_3.2.0'; then
    echo "# system $(openssl version): tcnative $TCNATIVE needs OPENSSL_3.2.0 (SSL_get0_group_name); measuring with a weakened copy and a shim"
    python3 - "$so" OPENSSL_3.2.0 <<'EOF'
# Marks one version requirement of an ELF64 library weak (VER_FLG_WEAK): glibc then loads it without that version.
import struct, sys
path, want = sys.argv[1], sys.argv[2].encode()
b = bytearray(open(path, 'rb').read())
shoff, = struct.unpack_from('<Q', b, 0x28)
shentsize, shnum = struct.unpack_from('<HH', b, 0x3a)
secs = [struct.unpack_from('<IIQQQQIIQQ', b, shoff + i * shentsize) for i in range(shnum)]
for s in (s for s in secs if s[1] == 0x6ffffffe):  # SHT_GNU_verneed
    strtab, off = secs[s[6]][4], s[4]
    while True:
        _, cnt, _, aux, nxt = struct.unpack_from('<HHIII', b, off)
        a = off + aux
        for _ in range(cnt):
            _, flags, _, name, anext = struct.unpack_from('<IHHII', b, a)
            if bytes(b[strtab + name:b.index(0, strtab + name)]) == want:
                struct.pack_into('<H', b, a + 4, flags | 2)
            a += anext
        if nxt == 0:
            break
        off += nxt
open(path, 'wb').write(b)
EOF
    cat > "$w/lib/shim.c" <<'EOF'
#include <openssl/ssl.h>
const char *shim_get0_group_name(SSL *s) {
    int nid = SSL_get_negotiated_group(s);
    return nid ? SSL_group_to_name(s, nid) : NULL;
}
__asm__(".symver shim_get0_group_name,SSL_get0_group_name@@OPENSSL_3.2.0");
EOF
    echo 'OPENSSL_3.2.0 { global: SSL_get0_group_name; local: *; };' > "$w/lib/shim.map"
    gcc -O2 -shared -fPIC -o "$w/lib/libshim32.so" "$w/lib/shim.c" -Wl,--version-script="$w/lib/shim.map" -lssl
    preload="$w/lib/libshim32.so"
fi
(cd "$w/lib/x" && rm -f ../tcnative.jar && zip -q -r ../tcnative.jar .)
cp="${cp//$tcnative_jar/$w/lib/tcnative.jar}"

cat > "$w/RsaCost.java" <<'EOF'
public class RsaCost {
    public static void main(String[] a) throws Exception {
        java.security.Provider p = org.conscrypt.Conscrypt.newProvider();
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA", p);
        g.initialize(2048);
        java.security.PrivateKey k = g.generateKeyPair().getPrivate();
        java.security.Signature s = java.security.Signature.getInstance("SHA256withRSA/PSS", p);
        var t = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int r = 0; r < 2; r++) {
            long n = 0, c0 = t.getCurrentThreadCpuTime(), end = System.nanoTime() + (long) (Double.parseDouble(a[0]) * 1e9);
            while (System.nanoTime() < end) { s.initSign(k); s.update(new byte[32]); s.sign(); n++; }
            if (r == 1) System.out.printf("BoringSSL (Conscrypt) RSA-2048 PSS sign: %.3f ms CPU each%n", (t.getCurrentThreadCpuTime() - c0) / 1e6 / n);
        }
    }
}
EOF
for round in $(seq "$ROUNDS"); do
    echo "## round $round, load $(cut -d' ' -f1-3 /proc/loadavg)"
    for engine in conscrypt openssl jdk; do
        LD_PRELOAD="$preload" nice -n 5 taskset -c 1 "$JAVA" -Xmx256m -cp "$cp" "$here/bench/EngineCost.java" \
            "$SECONDS_PER_CELL" "$w/key.pem" "$w/cert.pem" "$engine" 2>&1 | grep -v '^Note:'
    done
    nice -n 5 taskset -c 1 "$JAVA" -cp "$cp" "$w/RsaCost.java" "$SECONDS_PER_CELL"
    nice -n 5 taskset -c 1 openssl speed -seconds "$SECONDS_PER_CELL" rsa2048 2>/dev/null \
        | awk '/^rsa 2048/{printf "%s RSA-2048 sign: %.3f ms each\n", "'"$(openssl version | cut -d' ' -f1-2)"'", $4 * 1000}'
done
