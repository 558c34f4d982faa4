package org.liso.cli;

import java.net.InetSocketAddress;
import org.liso.admin.AdminOptions;
import org.liso.diag.Addresses;
import picocli.CommandLine.Option;

/** {@code --admin} and {@code --drain-delay} of {@code liso serve}: the admin listener and the drain on SIGTERM. */
final class AdminFlags {

    @Option(names = "--admin", paramLabel = "ADDR", description = {"Admin listener: GET /healthz and /metrics (Prometheus text),",
            "e.g. 127.0.0.1:9180 (a bare :port binds 127.0.0.1). Off by default; never a public listener's address."})
    String admin;

    @Option(names = "--drain-delay", paramLabel = "TIME", description = {"On SIGTERM, how long /healthz answers 503 while the listeners",
            "still serve, before the graceful shutdown: the load balancer's check interval (default: 0)."})
    TimeSpan drainDelay = new TimeSpan(0);

    /** The options, checked against the public listeners (either may be null: off). */
    AdminOptions options(InetSocketAddress http, InetSocketAddress https) {
        InetSocketAddress address = admin == null ? null : Addresses.parse(admin, "127.0.0.1");
        for (InetSocketAddress pub : new InetSocketAddress[] {http, https}) {
            if (address != null && pub != null && ServerRunner.overlap(address, pub)) {
                throw new CliFailure(ExitCodes.USAGE, "--admin " + Addresses.format(address)
                        + " would share a public listener's port: give the admin listener its own");
            }
        }
        return new AdminOptions(address, drainDelay.millis());
    }
}
