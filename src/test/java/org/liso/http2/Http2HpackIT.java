package org.liso.http2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.liso.http2.ConformanceServer.connectionError;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RFC 7541 (HPACK: indexes, table size updates, Huffman padding, the dynamic table across requests) against the real
 * server; see {@link ConformanceServer} for how every conformance case is checked.
 */
class Http2HpackIT {
    @TempDir
    static Path tmp;
    static ConformanceServer server;

    @BeforeAll
    static void start() throws Exception {
        server = ConformanceServer.start(tmp);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Nested
    class Hpack { // RFC 7541
        @Test
        void anIndexBeyondTheTablesIsACompressionError() throws Exception { // §2.3.3
            try (WireClient c = server.ready()) {
                c.frame(FrameType.HEADERS, FrameType.FLAG_END_HEADERS | FrameType.FLAG_END_STREAM, 1, "8286 be")
                        .send();
                connectionError(c, ErrorCode.COMPRESSION_ERROR);
            }
        }

        @Test
        void aTableSizeUpdateAboveTheLimitIsACompressionError() throws Exception { // §4.2, §6.3
            try (WireClient c = server.ready()) {
                c.frame(FrameType.HEADERS, FrameType.FLAG_END_HEADERS | FrameType.FLAG_END_STREAM, 1,
                        "3fe1ff03 8286 84 41 01 78").send();
                connectionError(c, ErrorCode.COMPRESSION_ERROR);
            }
        }

        @Test
        void aTableSizeUpdateAfterAFieldIsACompressionError() throws Exception { // §4.2
            try (WireClient c = server.ready()) {
                c.frame(FrameType.HEADERS, FrameType.FLAG_END_HEADERS | FrameType.FLAG_END_STREAM, 1,
                        "82 20 86 84 41 01 78").send();
                connectionError(c, ErrorCode.COMPRESSION_ERROR);
            }
        }

        @Test
        void huffmanPaddingThatIsNotAllOnesIsACompressionError() throws Exception { // §5.2
            try (WireClient c = server.ready()) {
                // :authority literal with a Huffman string "a" = 00011 padded with zeros instead of ones
                c.frame(FrameType.HEADERS, FrameType.FLAG_END_HEADERS | FrameType.FLAG_END_STREAM, 1,
                        "82 86 84 41 81 18").send();
                connectionError(c, ErrorCode.COMPRESSION_ERROR);
            }
        }

        @Test
        void theDynamicTableCarriesFieldsAcrossRequests() throws Exception { // §2.3.2
            try (WireClient c = server.ready()) {
                c.get(1, "/").send();
                c.until("DATA 1");
                c.get(3, "/").send(); // the encoder now refers to its dynamic table for :authority
                assertThat(c.until("HEADERS 3")).contains(":status=200");
            }
        }
    }
}
