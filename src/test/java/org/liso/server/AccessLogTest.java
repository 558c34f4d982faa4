package org.liso.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.liso.http.BodyKind;
import org.liso.http.Headers;
import org.liso.http.Request;
import org.liso.http.Version;

class AccessLogTest {

    @Test
    void theRequestFieldNamesTheProtocolAsLogToolsExpect() throws Exception {
        List<String> lines = new ArrayList<>();
        AccessLog log = new AccessLog(lines::add);
        Headers h = new Headers();
        h.add("host", "a");
        h.add("user-agent", "t/1");
        InetSocketAddress peer = new InetSocketAddress("127.0.0.1", 50000);
        log.log(peer, Request.of("GET", "/x", Version.HTTP_2, h, BodyKind.NONE, -1), 200, 5);
        log.log(peer, Request.of("GET", "/x", Version.HTTP_1_1, h, BodyKind.NONE, -1), 404, 0);
        assertThat(lines.get(0)).startsWith("127.0.0.1 - - [").contains("] \"GET /x HTTP/2.0\" 200 5 \"-\" \"t/1\"");
        assertThat(lines.get(1)).contains("\"GET /x HTTP/1.1\" 404 - ");
    }
}
