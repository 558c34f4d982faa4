package org.liso.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.liso.Log;
import org.liso.diag.Addresses;
import org.liso.files.FileHandler;
import org.liso.files.FileOptions;
import org.liso.loop.ConnectionBudget;
import org.liso.loop.EventLoop;
import org.liso.server.AccessLog;
import org.liso.server.HttpServer;
import org.liso.server.ServerConfig;
import org.liso.server.spi.Handler;
import org.liso.transport.TransportFactory;

/**
 * Builds and runs one HTTP server (serve and lisod share it): handlers, listeners on one loop, signals, and the
 * lines that tell the user where it listens.
 */
final class ServerRunner {
    static final long SHUTDOWN_GRACE_MILLIS = 5_000;

    Path root;
    FileOptions fileOptions = FileOptions.DEFAULT;
    InetSocketAddress http;
    InetSocketAddress https;
    TransportFactory tls;
    Handler cgi;
    Runnable onStop = () -> { };
    OutputStream accessLog;
    ServerConfig config = ServerConfig.DEFAULT;
    int maxConnections = ConnectionBudget.DEFAULT_MAX;
    int backlog = 1024;
    /** Receives one line per listener ("liso serve: http://127.0.0.1:8080/"), after every bind succeeded. */
    Consumer<String> announce = line -> {
        System.out.println(line);
        System.out.flush();
    };
    Runnable onReady = () -> { };

    int run() throws IOException {
        org.liso.diag.BindDoctor.prepare();
        FileHandler files;
        try {
            files = new FileHandler(root, fileOptions);
        } catch (IllegalArgumentException e) {
            throw new CliFailure(ExitCodes.CONFIG, e.getMessage());
        }
        EventLoop loop = new EventLoop("http");
        AccessLog access = accessLog == null ? AccessLog.NONE : new AccessLog(accessLog);
        HttpServer server = new HttpServer(loop, config, new Router(files, cgi), access,
                new ConnectionBudget(maxConnections));
        List<String> lines = new ArrayList<>();
        if (http != null) {
            InetSocketAddress a = server.listen(http, TransportFactory.PLAIN, backlog);
            lines.add("liso serve: http://" + Addresses.format(a) + "/");
        }
        if (https != null && tls != null) {
            InetSocketAddress a = server.listen(https, tls, backlog);
            lines.add("liso serve: https://" + Addresses.format(a) + "/");
        }
        Signals.onTerminate(() -> loop.shutdown(SHUTDOWN_GRACE_MILLIS));
        lines.forEach(announce);
        Log.info("serve", "serving", "root", files.root(), "listeners", lines.size(),
                "max_connections", maxConnections);
        onReady.run();
        try {
            loop.run();
        } finally {
            access.flush();
            onStop.run();
        }
        Log.info("serve", "stopped");
        return ExitCodes.OK;
    }
}
