package org.liso.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code liso who --listening} against {@code ss -ltnupH} on the same host at the same moment: a python3 process
 * holding TCP and UDP sockets on 127.0.0.1 and ::1, and a child JVM (liso listen) holding three more. The
 * (protocol, address, port, pid) sets must be equal, in the text output and in the JSON (parsed by python3's json).
 */
class WhoAgreesWithSsIT {

    private static final String PY = Child.PY
            + "t4 = socket.socket(); t4.bind(('127.0.0.1', 0)); t4.listen()\n"
            + "t6 = socket.socket(socket.AF_INET6); t6.bind(('::1', 0)); t6.listen()\n"
            + "u4 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u4.bind(('127.0.0.1', 0))\n"
            + "u6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); u6.bind(('::1', 0))\n"
            + Child.pyReady("os.getpid()");

    private static final Pattern SS_PID = Pattern.compile("pid=(\\d+)");

    @Test
    void whoReportsExactlyWhatSsReports() throws Exception {
        try (Child py = Child.python(PY);
                Child jvm = Child.startLiso("listen", "tcp4:0", "tcp6:0", "udp4:0")) {
            long pyPid = Long.parseLong(py.line());
            for (int i = 0; i < 3; i++) {
                jvm.awaitLine("listening");
            }
            Set<Long> ours = Set.of(pyPid, jvm.pid());

            Child.Result ss = Child.run(List.of("ss", "-ltnupH"));
            assertThat(ss.exit()).isZero();
            Set<String> fromSs = new TreeSet<>();
            for (String line : ss.out().split("\n")) {
                String[] f = line.trim().split("\\s+");
                Matcher m = SS_PID.matcher(line);
                while (f.length > 5 && m.find()) {
                    long pid = Long.parseLong(m.group(1));
                    if (ours.contains(pid)) {
                        fromSs.add(f[0] + " " + f[4] + " " + pid);
                    }
                }
            }

            Child.Result who = Child.liso("who", "--listening");
            assertThat(who.exit()).as(who.all()).isZero();
            Set<String> fromWho = new TreeSet<>();
            for (String line : who.out().split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 6 && f[5].matches("\\d+") && ours.contains(Long.parseLong(f[5]))) {
                    fromWho.add(f[0].replace("6", "") + " " + f[1] + " " + f[5]);
                }
            }

            Child.Result json = Child.liso("who", "--listening", "--json");
            Child.Result parsed = Child.run(List.of("python3", "-c",
                    "import json, sys\n"
                            + "for s in json.load(sys.stdin)['sockets']:\n"
                            + "    for p in s['processes']:\n"
                            + "        print(s['protocol'], s['local'], p['pid'])\n"), json.out());
            assertThat(parsed.exit()).as(parsed.all()).isZero();
            Set<String> fromJson = new TreeSet<>();
            for (String line : parsed.out().split("\n")) {
                String[] f = line.split(" ");
                if (f.length == 3 && ours.contains(Long.parseLong(f[2]))) {
                    fromJson.add(line);
                }
            }

            System.out.println("WhoAgreesWithSsIT: ss=" + fromSs + "\n  who=" + fromWho);
            assertThat(fromSs).hasSize(7);
            assertThat(fromWho).isEqualTo(fromSs);
            assertThat(fromJson).isEqualTo(fromSs);
        }
    }
}
