package org.liso.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
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
        footer = ExitCodes.HELP_FOOTER)
public final class Main implements Runnable {
    /**
     * Every subcommand, in the order {@code liso --help} lists them. Building picocli's model of a command is most of
     * a CLI start-up (~30-60 ms of interpreted reflection each), so a command line naming one subcommand gets only
     * that one; anything else (no subcommand, {@code help}, a typo) gets them all.
     */
    static final Map<String, Supplier<Object>> COMMANDS = new LinkedHashMap<>();

    static {
        COMMANDS.put("serve", ServeCommand::new);
        COMMANDS.put("lisod", LisodCommand::new);
        COMMANDS.put("echo", EchoCommand::new);
        COMMANDS.put("who", WhoCommand::new);
        COMMANDS.put("doctor", DoctorCommand::new);
        COMMANDS.put("free-port", FreePortCommand::new);
        COMMANDS.put("listen", ListenCommand::new);
        COMMANDS.put("probe", ProbeCommand::new);
        COMMANDS.put("top", TopCommand::new);
        COMMANDS.put("cert", CertCommand::new);
        COMMANDS.put("help", CommandLine.HelpCommand::new);
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // JSSE reads this once, when its server handshake code loads: set it before anything can (RFC 5746 aside,
        // a client-initiated renegotiation is a cheap CPU-exhaustion lever).
        System.setProperty("jdk.tls.rejectClientInitiatedRenegotiation", "true");
        Integer classic = ClassicLisod.run(args);
        System.exit(classic != null ? classic : run(args));
    }

    /**
     * One reading of sizes and durations for every option of every command; call it after addSubcommand (picocli
     * registers a converter with the subcommands present).
     */
    static void registerConverters(CommandLine cl) {
        cl.registerConverter(Size.class, Size::parse);
        cl.registerConverter(TimeSpan.class, TimeSpan::parse);
    }

    /** Runs the command line and returns its exit code (tests call this instead of main). */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        Supplier<Object> only = args.length > 0 && !args[0].equals("help") ? COMMANDS.get(args[0]) : null;
        if (only != null) {
            cl.addSubcommand(args[0], only.get());
        } else {
            COMMANDS.forEach((name, command) -> cl.addSubcommand(name, command.get()));
        }
        registerConverters(cl);
        cl.setParameterExceptionHandler(new UsageErrorHandler());
        HelpWidth.apply(cl);
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

    /** {@code liso} alone is a usage error: one line and where the help is, exit 2, as for any missing argument. */
    @Override
    public void run() {
        throw new CliFailure(ExitCodes.USAGE, "no command given (commands: serve, lisod, echo, who, doctor,"
                + " free-port, listen, probe, cert)");
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {Liso.NAME + " " + Liso.VERSION,
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
        }
    }
}
