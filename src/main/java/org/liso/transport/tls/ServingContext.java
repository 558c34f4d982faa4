package org.liso.transport.tls;

import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * A server context and what its engines get: one generation of {@link TicketRing}, replaced as a whole on reload.
 *
 * @param kind the engine that serves: JSSE wherever site certificates are chosen by SNI
 * @param bufferSize the pooled record buffers (netIn, appIn)
 * @param batchSize the pooled write-batch buffers (netOut, file chunks)
 */
record ServingContext(KeyMaterial material, Map<String, KeyMaterial> sites, TlsEngine kind, SSLContext context,
        SSLParameters parameters, int bufferSize, int batchSize) {
}
