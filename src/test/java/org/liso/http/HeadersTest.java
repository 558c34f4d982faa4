package org.liso.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HeadersTest {

    @Test
    void keepsOrderAndCaseAndLooksUpIgnoringCase() {
        Headers h = new Headers();
        for (int i = 0; i < 40; i++) {
            h.add("X-" + i, "v" + i);
        }
        h.add("set-cookie", "a");
        h.add("Set-Cookie", "b");
        assertThat(h.size()).isEqualTo(42);
        assertThat(h.name(40)).isEqualTo("set-cookie");
        assertThat(h.get("SET-COOKIE")).isEqualTo("a");
        assertThat(h.all("Set-Cookie")).containsExactly("a", "b");
        assertThat(h.count("set-cookie")).isEqualTo(2);
        assertThat(h.contains("x-39")).isTrue();
        assertThat(h.get("missing")).isNull();
    }

    @Test
    void setReplacesAllAtTheFirstPositionAndRemoveDropsAll() {
        Headers h = new Headers();
        h.add("A", "1");
        h.add("B", "2");
        h.add("a", "3");
        h.set("A", "x");
        assertThat(h.toString()).isEqualTo("A: x\r\nB: 2\r\n");
        h.set("C", "y");
        assertThat(h.name(2)).isEqualTo("C");
        assertThat(h.remove("b")).isTrue();
        assertThat(h.remove("b")).isFalse();
        assertThat(h.toString()).isEqualTo("A: x\r\nC: y\r\n");
    }

    @Test
    void hasTokenReadsCommaListsIgnoringCaseAndOws() {
        Headers h = new Headers();
        h.add("Connection", "Upgrade ,\tKeep-Alive");
        h.add("connection", "");
        assertThat(h.hasToken("Connection", "keep-alive")).isTrue();
        assertThat(h.hasToken("Connection", "upgrade")).isTrue();
        assertThat(h.hasToken("Connection", "close")).isFalse();
        assertThat(h.hasToken("Connection", "keep")).isFalse();
        assertThat(h.hasToken("Other", "upgrade")).isFalse();
    }
}
