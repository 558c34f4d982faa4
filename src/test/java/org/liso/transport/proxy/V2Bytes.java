package org.liso.transport.proxy;

import java.io.ByteArrayOutputStream;
import java.util.zip.CRC32C;

/** Builds PROXY v2 headers for tests, as a sender following proxy-protocol.txt §2.2 writes them. */
final class V2Bytes {
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final int verCmd;
    private final int famProto;
    private int crcAt = -1;

    private V2Bytes(int verCmd, int famProto) {
        this.verCmd = verCmd;
        this.famProto = famProto;
    }

    /** PROXY command (0x21) with the given family/protocol byte. */
    static V2Bytes proxy(int famProto) {
        return new V2Bytes(0x21, famProto);
    }

    static V2Bytes local() {
        return new V2Bytes(0x20, 0x00);
    }

    static V2Bytes raw(int verCmd, int famProto) {
        return new V2Bytes(verCmd, famProto);
    }

    V2Bytes bytes(int... values) {
        for (int v : values) {
            body.write(v);
        }
        return this;
    }

    V2Bytes port(int p) {
        return bytes(p >> 8, p & 0xff);
    }

    V2Bytes tlv(int type, byte[] value) {
        bytes(type, value.length >> 8, value.length & 0xff);
        body.writeBytes(value);
        return this;
    }

    /** A CRC32C TLV, filled in by {@link #build()}. */
    V2Bytes crc() {
        bytes(0x03, 0, 4);
        crcAt = 16 + body.size();
        return bytes(0, 0, 0, 0);
    }

    byte[] build() {
        return build(body.size());
    }

    /** With a length field that may lie about the body. */
    byte[] build(int declaredLength) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ProxyHeaderDecoder.V2_SIGNATURE);
        out.write(verCmd);
        out.write(famProto);
        out.write(declaredLength >> 8);
        out.write(declaredLength & 0xff);
        out.writeBytes(body.toByteArray());
        byte[] h = out.toByteArray();
        if (crcAt >= 0) {
            CRC32C c = new CRC32C();
            c.update(h);
            long v = c.getValue();
            for (int i = 0; i < 4; i++) {
                h[crcAt + i] = (byte) (v >> (24 - 8 * i));
            }
        }
        return h;
    }
}
