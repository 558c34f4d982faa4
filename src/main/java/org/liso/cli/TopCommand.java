package org.liso.cli;

import java.io.IOException;
import java.util.concurrent.Callable;
import org.liso.top.Top;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "top",
        header = "A live view of a running server, from its admin listener's metrics.",
        mixinStandardHelpOptions = true,
        description = {"A live view of a running server from its /metrics (liso serve --admin ADDR): requests and",
                "bytes per second, connections by state, TLS handshakes, 5xx by cause, CGI, loop lag, descriptors and",
                "heap, redrawn in place every interval like top ('q' or Ctrl-C quits).",
                "--once takes two scrapes one interval apart (so rates are rates), prints one frame and exits."},
        footer = {"%nExamples:",
                "  liso top http://127.0.0.1:9180/",
                "  liso top 127.0.0.1:9180 --interval 5s",
                "  liso top http://127.0.0.1:9180/ --once --json",
                "%nExit codes: 0 ok, 2 usage error, 69 the admin listener cannot be reached or is not Liso's."})
final class TopCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "URL", description = "The admin listener, e.g. http://127.0.0.1:9180/ (or its /metrics).")
    String url;

    @Option(names = "--interval", paramLabel = "TIME", description = "Time between scrapes; rates are over it (default: ${DEFAULT-VALUE}).")
    TimeSpan interval = new TimeSpan(1000);

    @Option(names = "--once", description = "One frame (two scrapes an interval apart), then exit.")
    boolean once;

    @Option(names = "--json", description = "With --once: print one JSON document instead of the frame.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        long millis = interval.positive("--interval");
        if (json && !once) {
            throw new CliFailure(ExitCodes.USAGE, "--json goes with --once (one document, for scripts)");
        }
        Top top;
        try {
            top = new Top(url, millis, System.out);
        } catch (IllegalArgumentException e) {
            throw new CliFailure(ExitCodes.USAGE, e.getMessage());
        }
        try {
            if (once) {
                top.once(json);
            } else {
                top.live();
            }
        } catch (IOException e) {
            throw new CliFailure(ExitCodes.UNAVAILABLE, "cannot read " + top.url() + ": " + e.getMessage());
        }
        return ExitCodes.OK;
    }
}
