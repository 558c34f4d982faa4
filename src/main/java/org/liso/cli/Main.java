package org.liso.cli;

import org.liso.Liso;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code liso} command. Every subcommand is registered here and nowhere else.
 */
@Command(name = "liso",
        mixinStandardHelpOptions = true,
        versionProvider = Main.VersionProvider.class,
        description = "Liso: a small, fast event-driven HTTP/1.1 + TLS + CGI server, and a socket toolkit.",
        footer = ExitCodes.HELP_FOOTER,
        subcommands = {
                ServeCommand.class,
                LisodCommand.class,
                EchoCommand.class,
                WhoCommand.class,
                DoctorCommand.class,
                FreePortCommand.class,
                ListenCommand.class,
                ProbeCommand.class,
                CertCommand.class,
                CommandLine.HelpCommand.class,
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // JSSE reads this once, when its server handshake code loads: set it before anything can (RFC 5746 aside,
        // a client-initiated renegotiation is a cheap CPU-exhaustion lever).
        System.setProperty("jdk.tls.rejectClientInitiatedRenegotiation", "true");
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (tests call this instead of main). */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(new FailureHandler());
        cl.setExitCodeExceptionMapper(FailureHandler::exitCodeOf);
        try {
            return cl.execute(args);
        } catch (LinkageError | InternalError e) {
            // Out of descriptors the JDK cannot load the classes or native code it needs: say so, do not crash.
            System.err.println("liso: the JDK failed inside (" + e + "); this is usually the open-files limit"
                    + " (`ulimit -n`, now " + org.liso.diag.FdHeadroom.now().text() + ")");
            return ExitCodes.IO_ERROR;
        }
    }

    /** {@code liso} alone is a usage error: a one-line hint on stderr, exit 2, as for any missing argument. */
    @Override
    public void run() {
        throw new CliFailure(ExitCodes.USAGE, "no command given; try `liso --help` (commands: serve, lisod,"
                + " echo, who, doctor, free-port, listen, probe, cert)");
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {Liso.NAME + " " + Liso.VERSION,
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
        }
    }
}
