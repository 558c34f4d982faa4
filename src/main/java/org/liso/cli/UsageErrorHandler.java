package org.liso.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * A command line picocli cannot parse: one line saying what is wrong, a suggestion when one is plausible, and where
 * the help is; exit 2. Not the whole usage: 100 lines of it push the one line that matters off the screen.
 *
 * <pre>
 * liso serve: unknown option '--port'
 * Did you mean --http :8181?
 * Try 'liso serve --help'
 * </pre>
 */
final class UsageErrorHandler implements CommandLine.IParameterExceptionHandler {

    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        String name = cl.getCommandSpec().qualifiedName();
        PrintWriter err = cl.getErr();
        err.println(name + ": " + UsageHints.problem(ex));
        UsageHints.suggestion(ex).ifPresent(err::println);
        err.println(tryHelp(name));
        err.flush();
        return ExitCodes.USAGE;
    }

    static String tryHelp(String qualifiedName) {
        return "Try '" + qualifiedName + " --help'";
    }
}
