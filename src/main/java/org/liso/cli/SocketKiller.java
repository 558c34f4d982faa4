package org.liso.cli;

import java.io.Console;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.liso.diag.Json;
import org.liso.diag.OwnedSocket;
import org.liso.diag.ProcessInfo;

/**
 * The careful {@code fuser -k}: lists the processes it will signal, asks on a terminal unless told yes, sends the
 * chosen signal, waits the grace period and sends SIGKILL to what is left. It never signals its own process.
 */
final class SocketKiller {
    private final String signal;
    private final long graceMillis;
    private final boolean yes;

    /** The Linux signal names kill(1) takes (signal(7)); a number 1-64 is taken too. */
    private static final Set<String> NAMES = Set.of("HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL",
            "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU",
            "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS");

    SocketKiller(String signal, long graceMillis, boolean yes) {
        this.signal = checkSignal(signal);
        this.graceMillis = graceMillis;
        this.yes = yes;
    }

    /**
     * The signal's name without SIG; a usage error before anything is announced when there is no such signal.
     */
    static String checkSignal(String signal) {
        String s = signal.toUpperCase(Locale.ROOT);
        String name = s.startsWith("SIG") ? s.substring(3) : s;
        boolean number = name.matches("[0-9]{1,2}") && Integer.parseInt(name) >= 1 && Integer.parseInt(name) <= 64;
        if (!NAMES.contains(name) && !number) {
            throw new CliFailure(ExitCodes.USAGE, "no such signal: '" + signal + "' (use a name such as TERM, INT,"
                    + " HUP, KILL, USR1, or a number; `kill -l` lists them)");
        }
        return name;
    }

    int run(List<OwnedSocket> sockets, boolean json) throws IOException, InterruptedException {
        Map<Long, ProcessInfo> targets = new LinkedHashMap<>();
        long self = ProcessHandle.current().pid();
        for (OwnedSocket o : sockets) {
            for (ProcessInfo p : o.owners()) {
                if (p.pid() != self) {
                    targets.putIfAbsent(p.pid(), p);
                }
            }
        }
        if (targets.isEmpty()) {
            System.err.println("who: no process to signal (nothing on that port, or not this user's; try as root)");
            return ExitCodes.NEGATIVE;
        }
        for (ProcessInfo p : targets.values()) {
            System.err.println("will send SIG" + signal + " to pid " + p.pid() + " (user " + p.user() + "): "
                    + p.commandLine());
        }
        if (!yes) {
            Console console = System.console();
            if (console == null) {
                throw new CliFailure(ExitCodes.USAGE, "not asking without a terminal: add --yes to signal them");
            }
            String answer = console.readLine("Signal %d process(es)? [y/N] ", targets.size());
            if (answer == null || !answer.trim().toLowerCase(Locale.ROOT).startsWith("y")) {
                System.err.println("who: nothing signalled");
                return ExitCodes.NEGATIVE;
            }
        }
        List<Object> outcomes = new ArrayList<>();
        boolean allGone = true;
        for (ProcessInfo p : targets.values()) {
            String outcome = stop(p.pid());
            allGone &= !outcome.startsWith("still");
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("pid", p.pid());
            m.put("command_line", p.commandLine());
            m.put("outcome", outcome);
            outcomes.add(m);
            if (!json) {
                System.out.println("pid " + p.pid() + ": " + outcome);
            }
        }
        if (json) {
            System.out.println(Json.write(Map.of("signalled", outcomes)));
        }
        return allGone ? ExitCodes.OK : ExitCodes.NEGATIVE;
    }

    private String stop(long pid) throws IOException, InterruptedException {
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty() || !h.get().isAlive()) {
            return "already gone";
        }
        if (!send(h.get(), signal)) {
            return "still running: SIG" + signal + " not permitted";
        }
        if (waitExit(h.get(), graceMillis)) {
            return "exited after SIG" + signal;
        }
        if (signal.equals("KILL") || !send(h.get(), "KILL")) {
            return "still running after SIG" + signal;
        }
        return waitExit(h.get(), 2000) ? "killed (SIGKILL) after " + graceMillis + " ms grace"
                : "still running after SIGKILL";
    }

    private static boolean send(ProcessHandle h, String sig) throws IOException, InterruptedException {
        if (sig.equals("TERM")) {
            return h.destroy();
        }
        if (sig.equals("KILL")) {
            return h.destroyForcibly();
        }
        Process kill = new ProcessBuilder("kill", "-s", sig, Long.toString(h.pid()))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return kill.waitFor(5, TimeUnit.SECONDS) && kill.exitValue() == 0;
    }

    private static boolean waitExit(ProcessHandle h, long millis) throws InterruptedException {
        try {
            h.onExit().get(millis, TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return !h.isAlive();
        } catch (java.util.concurrent.ExecutionException e) {
            return !h.isAlive();
        }
    }
}
