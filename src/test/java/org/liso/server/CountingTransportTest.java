package org.liso.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.liso.transport.Transport;

/**
 * The counting decorator sits in front of every connection's transport: a {@link Transport} method it does not
 * override (a default added later, say for the PROXY protocol or native TLS) would silently answer the default
 * instead of the real transport's. This fails when one is missing.
 */
class CountingTransportTest {

    @Test
    void forwardsEveryMethodOfTransport() throws Exception {
        List<String> missing = new ArrayList<>();
        for (Method m : Transport.class.getMethods()) {
            if (Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            Method own = CountingTransport.class.getMethod(m.getName(), m.getParameterTypes());
            if (own.getDeclaringClass() != CountingTransport.class) {
                missing.add(m.getName());
            }
        }
        assertThat(missing).as("Transport methods CountingTransport does not forward").isEmpty();
    }
}
