package org.liso.cli;

import java.util.concurrent.Callable;
import org.liso.Log;
import org.liso.listen.ListenMode;
import org.liso.listen.ListenServer;
import org.liso.listen.ListenSpec;
import org.liso.loop.EventLoop;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "listen",
        header = "A socat-style listener: sink, echo or print what arrives.",
        mixinStandardHelpOptions = true,
        description = {"A socat-style listener: sink, echo or print what clients send.",
                "%nMany concurrent clients on one event loop; each connection's open and close is logged on"
                        + " stderr with the peer address. A failed bind is explained like every server's."},
        footer = {"%nSPEC: tcp4:PORT, tcp6:PORT, tcp:PORT, udp4:PORT, udp6:PORT or unix:PATH.",
                "%nExamples:",
                "  liso listen tcp4:8081             # socat TCP4-LISTEN:8081,fork /dev/null",
                "  liso listen tcp6:9000 --bind :: --echo",
                "  liso listen udp4:5514 --print     # show datagrams, tagged by sender",
                "  liso listen tcp4:8081 --raw > got.bin   # the bytes exactly as they came",
                "  liso listen tcp4:8081 --hex       # a tagged hex dump",
                "  liso listen unix:/tmp/app.sock --print --max-connections 10",
                "  liso listen tcp4:8081 udp4:8081 --echo   # both on one loop",
                UnitsHelp.FOOTER, ExitCodes.HELP_FOOTER})
final class ListenCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "SPEC", description = "What to listen on; several may be given.")
    java.util.List<String> specs;

    @Option(names = "--bind", description = "Address (default loopback of the family: 127.0.0.1 or ::1).")
    String bind;

    @ArgGroup(exclusive = true)
    Mode mode = new Mode();

    @Option(names = "--max-connections", defaultValue = "1024",
            description = "Clients served at once; more are closed at once (default ${DEFAULT-VALUE}).")
    int maxConnections;

    @Option(names = "--receive-buffer", defaultValue = "4M", paramLabel = "SIZE",
            description = "SO_RCVBUF of UDP sockets, where bursts wait (capped by net.core.rmem_max; default"
                    + " ${DEFAULT-VALUE}).")
    Size receiveBuffer;

    @Option(names = "--shutdown-grace", defaultValue = "2s", paramLabel = "TIME", description = "How long to finish echoes on SIGINT/SIGTERM (default ${DEFAULT-VALUE}).")
    TimeSpan grace;

    @Mixin
    LogOptions logOptions;

    static final class Mode {
        @Option(names = "--sink", description = "Discard what arrives (default).")
        boolean sink;
        @Option(names = "--echo", description = "Send back what arrives.")
        boolean echo;
        @Option(names = "--print", description = "Write what arrives to stdout as text lines, tagged [conn peer]"
                + " (a CRLF ends a line as LF does; bytes that are not UTF-8 show as U+FFFD).")
        boolean print;
        @Option(names = "--raw", description = "Write what arrives to stdout byte for byte, untagged.")
        boolean raw;
        @Option(names = "--hex", description = "Write a tagged hex dump of what arrives (offset, bytes, ASCII).")
        boolean hex;

        ListenMode mode() {
            return echo ? ListenMode.ECHO : print ? ListenMode.PRINT : raw ? ListenMode.RAW
                    : hex ? ListenMode.HEX : ListenMode.SINK;
        }
    }

    @Override
    public Integer call() throws Exception {
        logOptions.apply();
        java.util.List<ListenSpec> parsed = specs.stream().map(ListenSpec::parse).toList();
        int receiveBytes = receiveBuffer.toInt("--receive-buffer");
        if (receiveBytes < 1) {
            throw new CliFailure(ExitCodes.USAGE, "--receive-buffer must be at least 1 byte");
        }
        EventLoop loop = new EventLoop("listen");
        // Printing is flushed once per batch read, so stdout gets a buffer of its own instead of System.out's
        // flush on every line.
        java.io.PrintStream out = new java.io.PrintStream(new java.io.BufferedOutputStream(
                new java.io.FileOutputStream(java.io.FileDescriptor.out), 65536), false,
                java.nio.charset.StandardCharsets.UTF_8);
        ListenServer server = new ListenServer(loop, mode.mode(), maxConnections, out, receiveBytes);
        for (ListenSpec s : parsed) {
            String bound = server.open(s, bind);
            String proto = s.kind().name().toLowerCase(java.util.Locale.ROOT).replaceAll("\\d", "");
            Log.info("listen", "listening", "address", bound, "protocol", proto, "mode",
                    mode.mode().name().toLowerCase(java.util.Locale.ROOT));
        }
        Signals.onTerminate(() -> loop.shutdown(grace.millis()));
        System.err.flush();
        loop.run();
        Log.info("listen", "stopped");
        return ExitCodes.OK;
    }
}
