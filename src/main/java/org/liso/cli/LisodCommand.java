package org.liso.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.liso.Log;
import org.liso.files.FileOptions;
import org.liso.files.MimeTypes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "lisod",
        header = "The classic 8-argument lisod: HTTP, HTTPS and CGI, detached, with a lock-file.",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {"The classic lisod server: HTTP and HTTPS on all interfaces, static files from www-folder and",
                "CGI under /cgi/, logging to log-file. It detaches (returns at once, keeps serving) and holds an",
                "exclusive lock on lock-file with its pid inside; --foreground keeps it attached (systemd).",
                "A missing Host header is accepted, as the clients of its era send none.",
                "It answers as the handout says and its graders check: Server: Liso/1.0, a Connection field on every",
                "response, Content-Type text/html, text/css, image/png, image/jpeg, image/gif or else",
                "application/octet-stream, POST to a file answered with the file (its body discarded), and a CGI script",
                "that writes a whole HTTP response has it forwarded unmodified, the connection closing after it.",
                "SIGHUP reopens log-file and reloads key-file/cert-file; SIGUSR1 reopens log-file (logrotate);",
                "SIGINT/SIGTERM stop gracefully (exit 0)."},
        footer = {"%nExamples:",
                "  ./lisod 8080 8443 lisod.log lisod.lock www cgi/app.py key.pem cert.pem",
                "  liso lisod --foreground 8080 8443 lisod.log lock www app.cgi key.pem cert.pem",
                UnitsHelp.FOOTER, ExitCodes.HELP_FOOTER})
final class LisodCommand implements Callable<Integer> {
    /**
     * The handout's Server value, which its graders compare (case-insensitively) with {@code liso/1.0}. With it come
     * the handout's other answers: a Connection field on every response, its Content-Types, POST to a file answered
     * with the file, and an NPH script's response forwarded as written (the connection closing after it).
     */
    static final String HANDOUT_SERVER = "Liso/1.0";

    @Parameters(index = "0", paramLabel = "HTTP-port")
    int httpPort;

    @Parameters(index = "1", paramLabel = "HTTPS-port")
    int httpsPort;

    @Parameters(index = "2", paramLabel = "log-file")
    Path logFile;

    @Parameters(index = "3", paramLabel = "lock-file")
    Path lockFile;

    @Parameters(index = "4", paramLabel = "www-folder")
    Path www;

    @Parameters(index = "5", paramLabel = "cgi-script")
    Path cgiScript;

    @Parameters(index = "6", paramLabel = "key-file")
    Path keyFile;

    @Parameters(index = "7", paramLabel = "cert-file")
    Path certFile;

    @Option(names = "--foreground", description = "Stay attached to the terminal instead of detaching.")
    boolean foreground;

    @Option(names = "--bind", defaultValue = "${env:LISOD_BIND}",
            description = "Address for both ports (default: $LISOD_BIND, else all interfaces, IPv4 and IPv6).")
    String bind;

    @Option(names = Daemon.READY_FILE_OPTION, hidden = true)
    Path readyFile;

    @Mixin
    LimitOptions limits;

    @Mixin
    LoopOptions loopOptions;

    @Mixin
    LogOptions logOptions;

    @Override
    public Integer call() throws Exception {
        logOptions.apply();
        port("HTTP-port", httpPort);
        port("HTTPS-port", httpsPort);
        // The limits are usage errors said here, on the terminal, not by a detached child after it made log-file.
        limits.toConfig(false);
        limits.shutdownGraceMillis();
        loopOptions.resolve(false);
        if (!foreground && readyFile == null) {
            String holder = LockFile.heldBy(lockFile);
            if (holder != null) {
                throw new CliFailure(ExitCodes.UNAVAILABLE, "another lisod is running: pid " + holder
                        + " holds the lock-file " + lockFile);
            }
            List<String> args = new ArrayList<>(List.of("lisod", Integer.toString(httpPort),
                    Integer.toString(httpsPort), abs(logFile), abs(lockFile), abs(www), abs(cgiScript), abs(keyFile),
                    abs(certFile), "--foreground"));
            if (bind != null) {
                args.add("--bind");
                args.add(bind);
            }
            return Daemon.spawn(args);
        }
        return serve();
    }

    /**
     * Serves until stopped. The log-file opens first, so that a start that fails afterwards says why there too
     * (with the same paragraph the terminal gets), and the waiting launcher hears the reason once.
     */
    private int serve() throws IOException {
        org.liso.LogWriter log;
        try {
            log = LogFile.open(logFile);
        } catch (CliFailure e) {
            Daemon.tell(readyFile, "fail " + e.exitCode() + " " + e.getMessage());
            throw e;
        }
        Log.setSink(log);
        boolean[] ready = {false};
        LockFile lock = null;
        ServerRunner r = null;
        try {
            lock = LockFile.acquire(lockFile);
            r = runner(log);
            r.closeLogsAtEnd = false; // a failed start is still to be said in the log-file, below
            r.onReady = () -> {
                ready[0] = true;
                Daemon.tell(readyFile, "ok " + ProcessHandle.current().pid());
            };
            return r.run();
        } catch (IOException | RuntimeException e) {
            if (!ready[0]) {
                String why = FailureHandler.messageOf(e);
                Log.error("lisod", "not started: " + why);
                Daemon.tell(readyFile, "fail " + FailureHandler.exitCodeOf(e) + " " + why);
                if (lock != null) {
                    lock.discard();
                    lock = null;
                }
            }
            throw e;
        } finally {
            if (lock != null) {
                lock.close();
            }
            if (r != null) {
                r.closeLogs();
            } else {
                Log.setSink(new Log.StreamSink(System.err));
                log.close();
            }
        }
    }

    private ServerRunner runner(org.liso.LogWriter log) {
        if (!Files.isDirectory(www)) {
            throw new CliFailure(ExitCodes.CONFIG, "www-folder is not a directory: " + www);
        }
        ServerRunner r = new ServerRunner();
        r.root = www;
        r.fileOptions = FileOptions.DEFAULT.withContentTypes(MimeTypes.HANDOUT).withPostServesFile(true);
        r.http = address(httpPort);
        r.config = limits.toConfig(false).withServerHeader(HANDOUT_SERVER).withConnectionAlways(true);
        r.maxConnections = limits.maxConnections;
        r.loops = loopOptions.resolve(false);
        r.shutdownGraceMillis = limits.shutdownGraceMillis();
        r.accessLog = log;
        r.errorLog = log;
        r.announce = line -> Log.info("lisod", line.replace("liso serve: ", ""));
        r.https = address(httpsPort);
        r.tls = TlsFlags.build(keyFile, certFile, null, org.liso.transport.tls.TlsSettings.DEFAULT, r.announce);
        try {
            r.cgi = new org.liso.cgi.CgiHandler(cgiScript, org.liso.cgi.CgiOptions.DEFAULT
                    .withDocumentRoot(www).withServerSoftware(HANDOUT_SERVER).withNphPassthrough(true));
        } catch (IllegalArgumentException e) {
            throw new CliFailure(ExitCodes.CONFIG, "cgi-script: " + e.getMessage());
        }
        if (foreground && readyFile == null) {
            r.announce = line -> {
                System.out.println(line.replace("liso serve:", "lisod:"));
                System.out.flush();
            };
        }
        return r;
    }

    private InetSocketAddress address(int port) {
        if (bind != null) {
            return org.liso.diag.Addresses.of(bind, port);
        }
        // The IPv6 wildcard on a dual-stack socket takes IPv4 clients too (they appear as ::ffff:a.b.c.d).
        return org.liso.diag.Addresses.parse("[::]:" + port, "::");
    }

    private static void port(String name, int p) {
        if (p < 0 || p > 65535) {
            throw new CliFailure(ExitCodes.USAGE, name + " must be 0-65535, was " + p);
        }
    }

    private static String abs(Path p) {
        return p.toAbsolutePath().toString();
    }
}
