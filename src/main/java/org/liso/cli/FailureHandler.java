package org.liso.cli;

import java.io.UncheckedIOException;
import org.liso.loop.BindFailedException;
import picocli.CommandLine;

/**
 * The error boundary of every command: a known failure becomes one paragraph on stderr and its exit code (a usage
 * error adds where the help is, as {@link UsageErrorHandler} does); a stack trace is printed only with
 * {@code --verbose}.
 */
final class FailureHandler implements CommandLine.IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
        boolean verbose = parsed.expandedArgs().contains("--verbose") || parsed.expandedArgs().contains("-v");
        String name = cl.getCommandSpec().qualifiedName(); // "liso serve", as a usage error found by picocli says
        cl.getErr().println(name + ": " + messageOf(ex));
        if (exitCodeOf(ex) == ExitCodes.USAGE) {
            cl.getErr().println(UsageErrorHandler.tryHelp(name));
        }
        if (verbose) {
            ex.printStackTrace(cl.getErr());
        }
        cl.getErr().flush();
        return exitCodeOf(ex);
    }

    static String messageOf(Throwable ex) {
        Throwable t = unwrap(ex);
        if (t instanceof BindFailedException b) {
            return b.diagnosis().paragraph();
        }
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m;
    }

    private static Throwable unwrap(Throwable ex) {
        return ex instanceof UncheckedIOException && ex.getCause() != null ? ex.getCause() : ex;
    }

    static int exitCodeOf(Throwable ex) {
        Throwable t = unwrap(ex);
        if (t instanceof CliFailure f) {
            return f.exitCode();
        }
        if (t instanceof BindFailedException b) {
            return b.diagnosis().exitCode();
        }
        if (t instanceof CommandLine.ParameterException || t instanceof IllegalArgumentException) {
            return ExitCodes.USAGE;
        }
        return ExitCodes.IO_ERROR; // an IOException, or anything unforeseen
    }
}
