package org.liso.transport.tls;

import javax.net.ssl.SSLEngine;

/**
 * Runs the engine's delegated tasks (NEED_TASK) inline on the loop thread.
 *
 * <p>Why inline: the tasks are the CPU-bound part of a full handshake (ECDHE key share, the CertificateVerify
 * signature, deriving secrets), measured on this machine at about 1 ms per TLS 1.3 full handshake with an EC P-256
 * key on one core (see HandshakeCost in the tests). A loop that handed them to a pool would still spend the same CPU,
 * only on another core, and would need a hand-back through the task queue plus a fourth connection state; with a 1 ms
 * worst case per task the stall other connections see is bounded by the number of handshakes in one readiness
 * batch. More loops ({@code --loops N}) is the way to use more cores for handshakes.
 */
final class Handshake {
    private Handshake() {
    }

    static void runTasks(SSLEngine engine) {
        for (Runnable t = engine.getDelegatedTask(); t != null; t = engine.getDelegatedTask()) {
            t.run();
        }
    }
}
