package org.liso.cli;

import org.liso.Log;
import picocli.CommandLine.Option;

/** --quiet / --verbose, shared by every command. */
final class LogOptions {
    @Option(names = {"-q", "--quiet"}, description = "Only warnings and errors on stderr.")
    boolean quiet;

    @Option(names = {"-v", "--verbose"}, description = "Debug logging, and stack traces on failure.")
    boolean verbose;

    void apply() {
        Log.setLevel(verbose ? Log.Level.DEBUG : quiet ? Log.Level.WARN : Log.Level.INFO);
    }
}
