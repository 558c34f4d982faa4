package org.liso.cli;

import org.liso.server.SendOptions;
import picocli.CommandLine.Option;

/** How large bodies are sent (serve): see {@link SendOptions} and bench/results/large-files.md. */
final class SendFlags {
    private static final SendOptions D = SendOptions.DEFAULT;

    @Option(names = "--send-quantum", paramLabel = "SIZE", description = {"Most file bytes one connection sends per turn of the loop",
            "before the next ready connection's turn (default: ${DEFAULT-VALUE})."})
    Size quantum = new Size(D.fileBytesPerTurn());

    @Option(names = "--notsent-lowat", paramLabel = "SIZE", description = {"TCP_NOTSENT_LOWAT of each connection: bytes that may wait unsent",
            "in its socket; 0 leaves the kernel's default. Java 22+, or 17-21 with java.base/sun.nio.ch opened",
            "(java -jar and ./liso do; else skipped, said once at start-up) (default: ${DEFAULT-VALUE})."})
    Size notSentLowWater = new Size(D.notSentLowWater());

    SendOptions toOptions() {
        if (quantum.bytes() < 1) {
            throw new CliFailure(ExitCodes.USAGE, "--send-quantum must be at least 1, was " + quantum);
        }
        return new SendOptions(quantum.bytes(), notSentLowWater.toInt("--notsent-lowat"));
    }
}
