#!/usr/bin/env bash
# The release build: a self-contained archive that runs where there is no JDK and no Maven.
#   dist/liso-VERSION-linux-ARCH.tar.gz  ->  liso/bin/liso (the launcher), liso/lib/liso.jar, liso/runtime (a jlinked
#   Java runtime of just the modules the jar needs, with its class-data-sharing archive)
#   dist/liso_VERSION_ARCH.deb           ->  the same through jpackage, where jpackage, dpkg-deb and fakeroot exist
# Then `tar xf liso-*.tar.gz && ./liso/bin/liso serve` works on a bare machine. Prints the unpacked size.
# Usage: scripts/dist.sh [--jar JAR] [--out DIR] [--no-deb]
#   --jar JAR  package this jar instead of building target/liso.jar (`mvn -DskipTests package`)
#   --out DIR  where the archive (and .deb) go (default: dist/)
#   JAVA_HOME  the JDK whose jlink/jpackage build the runtime (default: the one jlink on PATH belongs to); >= 17
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar=""; out="$here/dist"; deb=1
while [ $# -gt 0 ]; do
    case "$1" in
        --jar) jar="$2"; shift 2 ;;
        --out) out="$2"; shift 2 ;;
        --no-deb) deb=0; shift ;;
        *) echo "dist.sh: unknown argument $1 (usage: scripts/dist.sh [--jar JAR] [--out DIR] [--no-deb])" >&2; exit 2 ;;
    esac
done
if [ -z "${JAVA_HOME:-}" ]; then
    jlink_path="$(command -v jlink)" || { echo "dist.sh: needs a JDK with jlink (set JAVA_HOME)" >&2; exit 69; }
    JAVA_HOME="$(cd "$(dirname "$(readlink -f "$jlink_path")")/.." && pwd)"
fi
jdk="$JAVA_HOME/bin"
[ -x "$jdk/jlink" ] || { echo "dist.sh: no jlink in $jdk" >&2; exit 69; }
if [ -z "$jar" ]; then
    mvn -q -B -f "$here/pom.xml" -DskipTests package
    jar="$here/target/liso.jar"
fi
version="$(sed -n 's|^  <version>\(.*\)</version>|\1|p' "$here/pom.xml" | head -1)"
arch="$(uname -m)"; [ "$arch" = x86_64 ] && arch=x64

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
app="$work/liso"
mkdir -p "$app/bin" "$app/lib" "$out"

# jdeps finds what the classes import; providers loaded by name are added by hand: jdk.crypto.ec (TLS key exchange
# and EC certificates). No debug symbols (Java or native), man pages or headers: what a server runs, no more.
# java.naming and java.sql (with java.xml, 5 MB of it) are only Bouncy Castle's LDAP certificate stores, which Liso
# never loads: they are left out.
modules="$("$jdk/jdeps" --ignore-missing-deps --print-module-deps --multi-release 17 "$jar" \
    | tr , '\n' | grep -vx 'java.naming\|java.sql' | paste -sd,),jdk.crypto.ec"
strip=()
if command -v objcopy >/dev/null; then
    strip=(--strip-native-debug-symbols "objcopy=$(command -v objcopy)") # libjvm.so: 24 MB -> 20 MB
fi
"$jdk/jlink" --add-modules "$modules" --strip-debug "${strip[@]}" --no-man-pages --no-header-files --compress=2 \
    --output "$app/runtime"
# The runtime's own class-data-sharing archive of the JDK's classes (the JDK ships one; jlink does not make it): a
# quarter off every start for 12 MB. The jar's dynamic archive (./liso's target/liso.jsa) is left out: another 12 MB,
# over the 60 MB budget, for a gain lost in the noise here (scripts/dist.sh's commit says what was measured).
"$app/runtime/bin/java" -Xshare:dump -Xlog:cds=off >/dev/null 2>&1 || echo "dist.sh: no base CDS archive" >&2
cp "$jar" "$app/lib/liso.jar"
# The archive is for this platform: the native TLS libraries of the others (Conscrypt ships four) are left out, and
# Bouncy Castle's post-quantum package (2.4 MB), which nothing in Liso reaches (it reads PEM keys, makes certificates).
case "$(uname -m)" in aarch64) native_arch=aarch_64 ;; *) native_arch="$(uname -m)" ;; esac
python3 - "$app/lib/liso.jar" "libconscrypt_openjdk_jni-linux-$native_arch.so" <<'PY'
import os, sys, zipfile
jar, keep = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(jar) as zin, zipfile.ZipFile(jar + ".tmp", "w", zipfile.ZIP_DEFLATED) as zout:
    for item in zin.infolist():
        name = item.filename
        if name.startswith("META-INF/native/") and not name.endswith("/") and os.path.basename(name) != keep:
            continue
        if name.startswith(("org/bouncycastle/pqc/", "META-INF/versions/9/org/bouncycastle/pqc/")):
            continue
        zout.writestr(item, zin.read(name))
os.replace(jar + ".tmp", jar)
PY
cp "$here/liso" "$app/bin/liso"
# lisod runs through a link named lisod (its process name); in an installed tree the launcher cannot make one.
ln -s java "$app/runtime/bin/lisod"
cp "$here/README.md" "$app/README.md"
chmod -R u+rwX,go+rX "$app"

archive="$out/liso-$version-linux-$arch.tar.gz"
tar -C "$work" -czf "$archive" liso
unpacked="$(du -sb "$app" | cut -f1)"
echo "dist.sh: $archive ($(du -b "$archive" | cut -f1) bytes; unpacked $unpacked bytes, $((unpacked / 1048576)) MiB)"

if [ "$deb" = 1 ] && [ -x "$jdk/jpackage" ] && command -v dpkg-deb >/dev/null && command -v fakeroot >/dev/null; then
    # jpackage's own launcher (/opt/liso/bin/liso) runs org.liso.cli.Main with the launcher's default JVM options.
    "$jdk/jpackage" --type deb --name liso --app-version "$version" --dest "$out" \
        --input "$app/lib" --main-jar liso.jar --main-class org.liso.cli.Main --runtime-image "$app/runtime" \
        --java-options "-Xms32m -Xmx512m -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError -Xss512k --add-opens=java.base/sun.nio.ch=ALL-UNNAMED" \
        --description "Liso: a small event-driven HTTP/1.1 server and socket toolkit" \
        --linux-package-name liso --linux-app-category web
    echo "dist.sh: $(ls "$out"/liso_*.deb)"
elif [ "$deb" = 1 ]; then
    echo "dist.sh: no .deb (needs jpackage, dpkg-deb and fakeroot)" >&2
fi
