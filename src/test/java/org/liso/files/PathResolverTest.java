package org.liso.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.liso.http.HttpException;

class PathResolverTest {
    private static final Path ROOT = Path.of("/srv/www");

    /** raw path → path under the root ("" is the root itself) and whether it names a directory. */
    @ParameterizedTest(name = "{0} -> [{1}] dir={2}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "/                      | ''                | true",
        "/index.html            | index.html        | false",
        "/a/b/c.txt             | a/b/c.txt         | false",
        "/a/b/                  | a/b               | true",
        // traversal: '..' never climbs above the root (RFC 3986 §5.2.4 drops it there)
        "/../etc/passwd         | etc/passwd        | false",
        "/../../../../etc/passwd| etc/passwd        | false",
        "/a/../../              | ''                | true",
        "/a/../../b             | b                 | false",
        "/a/b/../c              | a/c               | false",
        "/a/./b/./c             | a/b/c             | false",
        "/a/..                  | ''                | true",
        "/a/.                   | a                 | true",
        "/..                    | ''                | true",
        "/.                     | ''                | true",
        // percent-encoded dots are dots: decoded once, then dot segments are removed
        "/%2e%2e/               | ''                | true",
        "/%2E%2E/etc/passwd     | etc/passwd        | false",
        "/%2e%2e/%2e%2e/x       | x                 | false",
        "/.%2e/x                | x                 | false",
        "/%2e/x                 | x                 | false",
        // double encoding stays literal after the one decoding
        "/%252e%252e/x          | %2e%2e/x          | false",
        "/%252e                 | %2e               | false",
        "/%252f                 | %2f               | false",
        // empty segments collapse: '//etc' is not an absolute file-system path
        "//etc                  | etc               | false",
        "//etc/passwd           | etc/passwd        | false",
        "/a//b                  | a/b               | false",
        "///                    | ''                | true",
        // names that merely contain dots are names
        "/...                   | ...               | false",
        "/..a/b..               | ..a/b..           | false",
        "/.hidden               | .hidden           | false",
        // ordinary escapes and UTF-8
        "/a%20b.txt             | a b.txt           | false",
        "/caf%C3%A9.html        | café.html         | false",
        "/%7Euser/              | ~user             | true",
        "/a;b=c                 | a;b=c             | false",
    })
    void resolvesInsideTheRoot(String raw, String expected, boolean directory) throws HttpException {
        RequestPath p = PathResolver.parse(raw);
        Path resolved = PathResolver.resolve(ROOT, raw);
        assertThat(resolved).isEqualTo(expected.isEmpty() ? ROOT : ROOT.resolve(expected));
        assertThat(resolved.normalize()).isEqualTo(resolved);
        assertThat(resolved.startsWith(ROOT)).isTrue();
        assertThat(p.directoryForm()).isEqualTo(directory);
    }

    /** raw path → 400, with a word from the reason. */
    @ParameterizedTest(name = "{0} -> 400 ({1})")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "/..%2f                 | encoded slash",
        "/..%2F..%2Fetc/passwd  | encoded slash",
        "/a%2fb                 | encoded slash",
        "/%00                   | NUL",
        "/index.html%00.txt     | NUL",
        "/a%5c..%5c..%5cetc     | backslash",
        "/a%5C..                | backslash",
        "/%                     | truncated",
        "/%2                    | truncated",
        "/abc%                  | truncated",
        "/%zz                   | invalid",
        "/%g0                   | invalid",
        "/%0g                   | invalid",
        "/%-1                   | invalid",
        "/a%0d%0aSet-Cookie:x   | control",
        "/a%0a                  | control",
        "/a%7f                  | control",
        "/%c0%ae%c0%ae/etc      | UTF-8",
        "/%c0%af                | UTF-8",
        "/%ff                   | UTF-8",
        "/%e2%82                | UTF-8",
        "index.html             | start with /",
        "*                      | start with /",
        "''                     | start with /",
    })
    void rejects(String raw, String why) {
        HttpException e = catchThrowableOfType(() -> PathResolver.parse(raw), HttpException.class);
        assertThat(e).as(raw).isNotNull();
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.getMessage()).containsIgnoringCase(why);
    }

    @Test
    void rejectsRawNulBackslashControlAndNonAscii() {
        for (String raw : new String[] {"/a\0b", "/a\\..\\..\\etc", "/\\", "/a\tb", "/a\nb", "/caf\u00e9", "/\u2215etc"}) {
            assertThatThrownBy(() -> PathResolver.parse(raw)).as(raw).isInstanceOf(HttpException.class)
                    .extracting(e -> ((HttpException) e).status()).isEqualTo(400);
        }
    }

    @Test
    void encodedFormIsCanonicalAndSafeForLocation() throws HttpException {
        assertThat(PathResolver.parse("/a%20b/./c/").encoded()).isEqualTo("/a%20b/c");
        assertThat(PathResolver.parse("/").encoded()).isEqualTo("/");
        // "//evil.example" must not come back as a protocol-relative Location
        assertThat(PathResolver.parse("//evil.example").encoded()).isEqualTo("/evil.example");
        assertThat(PathResolver.parse("/caf%C3%A9").encoded()).isEqualTo("/caf%C3%A9");
        assertThat(PathResolver.parse("/a%3Fb").encoded()).isEqualTo("/a%3Fb");
        assertThat(PathResolver.parse("/a%3Fb").segments()).containsExactly("a?b");
    }

    @Test
    void everySegmentIsAPlainName() throws HttpException {
        for (String raw : new String[] {"/a/../../b/./c//d/%2e%2e/e", "/%2e%2e/%2e/x/.././y"}) {
            for (String s : PathResolver.parse(raw).segments()) {
                assertThat(s).isNotEmpty().isNotEqualTo(".").isNotEqualTo("..").doesNotContain("/", "\0", "\\");
            }
        }
    }
}
