package org.liso.cli;

import java.util.Locale;
import org.liso.server.ServerLoops;
import picocli.CommandLine.Option;

/** {@code --loops} and {@code --accept}: how many event loops serve, and how connections reach them. */
final class LoopOptions {
    /** The most loops asked for that is still taken as meant (a loop is a thread with a selector). */
    static final int MAX_LOOPS = 1024;

    @Option(names = "--loops", paramLabel = "N|auto", description = {"Event loops, each a thread with its own connections;",
            "auto: one per available processor (default: auto for serve, 1 for lisod)."})
    String loops;

    @Option(names = "--accept", paramLabel = "MODE", description = {"How connections reach the loops: reuseport (a",
            "SO_REUSEPORT listener per loop, the kernel spreads them) or handoff (loop 0 accepts and hands each to",
            "the loop with the fewest) (default: reuseport where the platform has it)."})
    String accept;

    /** The loops and accepting the options say; {@code auto} when {@code --loops} is absent and {@code autoByDefault}. */
    Loops resolve(boolean autoByDefault) {
        String text = loops != null ? loops.trim().toLowerCase(Locale.ROOT) : autoByDefault ? "auto" : "1";
        int n;
        if (text.equals("auto")) {
            n = Runtime.getRuntime().availableProcessors();
        } else {
            try {
                n = Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw new CliFailure(ExitCodes.USAGE, "--loops wants a number or auto, got '" + loops + "'");
            }
            if (n < 1 || n > MAX_LOOPS) {
                throw new CliFailure(ExitCodes.USAGE, "--loops must be 1-" + MAX_LOOPS + " or auto, was " + n);
            }
        }
        return new Loops(n, accepting());
    }

    private ServerLoops.Accepting accepting() {
        if (accept == null) {
            return ServerLoops.Accepting.best();
        }
        switch (accept.trim().toLowerCase(Locale.ROOT)) {
            case "reuseport" -> {
                if (ServerLoops.Accepting.best() != ServerLoops.Accepting.REUSEPORT) {
                    throw new CliFailure(ExitCodes.USAGE, "--accept reuseport: this platform has no SO_REUSEPORT;"
                            + " use --accept handoff");
                }
                return ServerLoops.Accepting.REUSEPORT;
            }
            case "handoff" -> {
                return ServerLoops.Accepting.HANDOFF;
            }
            default -> throw new CliFailure(ExitCodes.USAGE, "--accept wants reuseport or handoff, got '" + accept
                    + "'");
        }
    }

    /** A resolved {@code --loops}/{@code --accept}. */
    record Loops(int count, ServerLoops.Accepting accepting) {
        static final Loops ONE = new Loops(1, ServerLoops.Accepting.HANDOFF);
    }
}
