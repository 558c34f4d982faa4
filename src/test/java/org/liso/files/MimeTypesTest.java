package org.liso.files;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MimeTypesTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "index.html  | text/html; charset=utf-8",
        "old.htm     | text/html; charset=utf-8",
        "site.css    | text/css; charset=utf-8",
        "app.js      | text/javascript; charset=utf-8",
        "mod.mjs     | text/javascript; charset=utf-8",
        "data.json   | application/json; charset=utf-8",
        "notes.txt   | text/plain; charset=utf-8",
        "feed.xml    | application/xml; charset=utf-8",
        "logo.svg    | image/svg+xml; charset=utf-8",
        "a.png       | image/png",
        "a.jpg       | image/jpeg",
        "a.jpeg      | image/jpeg",
        "a.gif       | image/gif",
        "a.webp      | image/webp",
        "favicon.ico | image/x-icon",
        "m.wasm      | application/wasm",
        "f.woff      | font/woff",
        "f.woff2     | font/woff2",
        "doc.pdf     | application/pdf",
        "v.mp4       | video/mp4",
        "v.webm      | video/webm",
        "s.mp3       | audio/mpeg",
        "INDEX.HTML  | text/html; charset=utf-8",
        "Photo.JpEg  | image/jpeg",
        "archive.tar.gz | application/gzip",
    })
    void knownExtensions(String name, String type) {
        assertThat(MimeTypes.forFileName(name)).isEqualTo(type);
    }

    @Test
    void unknownOrMissingExtensionIsOctetStream() {
        for (String name : new String[] {"README", "a.unknownext", "trailingdot.", ".bashrc", "html", ""}) {
            assertThat(MimeTypes.forFileName(name)).as(name).isEqualTo("application/octet-stream");
        }
    }
}
