package org.liso.fastcgi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import org.junit.jupiter.api.Test;

/** How {@code --fastcgi PATTERN=ADDRESS} is read and how a route divides a path into script and PATH_INFO. */
class FastCgiRouteTest {

    private static final BackendAddress SOCK = BackendAddress.parse("unix:/run/php/fpm.sock");

    private static String split(String pattern, String path) {
        FastCgiRoute.Split s = new FastCgiRoute(pattern, SOCK).split(path);
        return s == null ? null : s.scriptName() + "|" + s.pathInfo() + "|" + (s.scriptIsFile() ? "file" : "prefix");
    }

    @Test
    void aFileTypeRouteEndsTheScriptAtTheFirstSegmentOfThatType() {
        assertThat(split("*.php", "/index.php")).isEqualTo("/index.php||file");
        assertThat(split("*.php", "/a/b.php/c/d.php")).isEqualTo("/a/b.php|/c/d.php|file");
        assertThat(split("*.php", "/b.php/")).isEqualTo("/b.php|/|file");
        assertThat(split("*.php", "/.php")).as("a bare extension names no script").isNull();
        assertThat(split("*.php", "/x.phpx")).isNull();
        assertThat(split("*.php", "/x.php.txt")).isNull();
        assertThat(split("*.php", "/")).isNull();
        assertThat(split("*.php", "/php")).isNull();
    }

    @Test
    void aPrefixRouteIsTheScriptName() {
        assertThat(split("/app", "/app")).isEqualTo("/app||prefix");
        assertThat(split("/app", "/app/x/y")).isEqualTo("/app|/x/y|prefix");
        assertThat(split("/app/", "/app/x")).isEqualTo("/app|/x|prefix");
        assertThat(split("/app", "/application")).isNull();
        assertThat(split("/", "/any/thing")).isEqualTo("|/any/thing|prefix");
    }

    @Test
    void specsAreCheckedWithAMessage() {
        FastCgiRoute r = FastCgiRoute.parse("*.php=unix:/run/php/fpm.sock");
        assertThat(r.pattern()).isEqualTo("*.php");
        assertThat(r.backend().address()).isEqualTo(UnixDomainSocketAddress.of("/run/php/fpm.sock"));
        assertThat(FastCgiRoute.parse("/app=127.0.0.1:9000").backend().address())
                .isEqualTo(new InetSocketAddress("127.0.0.1", 9000));
        assertThat(BackendAddress.parse("[::1]:9000").address()).isEqualTo(new InetSocketAddress("::1", 9000));
        assertThatThrownBy(() -> FastCgiRoute.parse("*.php")).hasMessageContaining("PATTERN=ADDRESS");
        assertThatThrownBy(() -> FastCgiRoute.parse("php=unix:/x")).hasMessageContaining("neither *.EXT");
        assertThatThrownBy(() -> FastCgiRoute.parse("*.p/hp=unix:/x")).hasMessageContaining("neither *.EXT");
        assertThatThrownBy(() -> FastCgiRoute.parse("/a*=unix:/x")).hasMessageContaining("neither *.EXT");
        assertThatThrownBy(() -> BackendAddress.parse("unix:")).hasMessageContaining("no socket path");
        assertThatThrownBy(() -> BackendAddress.parse("127.0.0.1")).hasMessageContaining("neither unix:");
        assertThatThrownBy(() -> BackendAddress.parse("127.0.0.1:0")).hasMessageContaining("no port");
        assertThatThrownBy(() -> BackendAddress.parse("127.0.0.1:x")).hasMessageContaining("no port");
    }
}
