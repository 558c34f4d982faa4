package org.liso.cli;

import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import org.liso.Log;
import org.liso.diag.Addresses;
import org.liso.diag.BindDoctor;
import org.liso.echo.EchoServer;
import org.liso.loop.ConnectionBudget;
import org.liso.loop.EventLoop;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "echo",
        header = "Byte-exact echo server on the event loop.",
        mixinStandardHelpOptions = true,
        description = "Byte-exact echo server on the event loop: every byte a client sends comes back, in order.",
        footer = {"%nExamples:",
                "  liso echo                        # 127.0.0.1:9000",
                "  liso echo --bind :: --port 0     # IPv4 and IPv6, kernel-chosen port",
                "  printf 'hello' | nc -q1 127.0.0.1 9000",
                UnitsHelp.FOOTER, ExitCodes.HELP_FOOTER})
final class EchoCommand implements Callable<Integer> {

    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Address to listen on (default ${DEFAULT-VALUE}; :: for all).")
    String bind;

    @Option(names = {"-p", "--port"}, defaultValue = "9000", description = "Port (default ${DEFAULT-VALUE}; 0 lets the kernel pick).")
    int port;

    @Option(names = "--max-connections", defaultValue = "1024",
            description = "Connections served at once; more are accepted and reset at once (default ${DEFAULT-VALUE}).")
    int maxConnections;

    @Option(names = "--buffer", defaultValue = "16k", paramLabel = "SIZE",
            description = "Per-connection buffer; reading pauses while it is full (default ${DEFAULT-VALUE}).")
    Size buffer;

    @Option(names = "--idle-timeout", defaultValue = "5m", paramLabel = "TIME", description = "How long before an idle connection is closed; 0 never (default ${DEFAULT-VALUE}).")
    TimeSpan idle;

    @Option(names = "--backlog", defaultValue = "1024", description = "Listen backlog (default ${DEFAULT-VALUE}).")
    int backlog;

    @Option(names = "--shutdown-grace", defaultValue = "5s", paramLabel = "TIME", description = "How long to flush on SIGINT/SIGTERM (default ${DEFAULT-VALUE}).")
    TimeSpan grace;

    @Mixin
    LogOptions logOptions;

    @Override
    public Integer call() throws Exception {
        logOptions.apply();
        BindDoctor.prepare();
        InetSocketAddress address = Addresses.of(bind, port);
        int bufferBytes = buffer.toInt("--buffer");
        if (bufferBytes < 1) {
            throw new CliFailure(ExitCodes.USAGE, "--buffer must be at least 1 byte");
        }
        EventLoop loop = new EventLoop("echo");
        EchoServer server = new EchoServer(loop, new ConnectionBudget(maxConnections), bufferBytes, idle.millis());
        InetSocketAddress bound = server.listen(address, backlog);
        Signals.onTerminate(() -> loop.shutdown(grace.millis()));
        System.out.println("liso echo: listening on tcp://" + Addresses.format(bound) + "/");
        System.out.flush();
        Log.info("echo", "listening", "address", Addresses.format(bound), "max_connections", maxConnections);
        loop.run();
        Log.info("echo", "stopped");
        return ExitCodes.OK;
    }
}
