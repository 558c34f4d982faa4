import java.io.InputStream;
import java.util.Arrays;

/**
 * How long the JDK takes to start a trivial CGI-like child and collect its output and exit, per spawn. Run as
 * {@code java -Djdk.lang.Process.launchMechanism=POSIX_SPAWN|VFORK|FORK bench/SpawnCost.java SCRIPT N}; the
 * mechanism is read once, at the first spawn, so each mechanism needs its own JVM.
 */
public class SpawnCost {
    public static void main(String[] args) throws Exception {
        String script = args[0];
        int n = Integer.parseInt(args[1]);
        byte[] buf = new byte[8192];
        long[] micros = new long[n];
        long[] cpu0 = null;
        for (int round = 0; round < 2; round++) { // the first round warms the JIT and the page cache
            if (round == 1) {
                cpu0 = cpuTicks();
            }
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                ProcessBuilder pb = new ProcessBuilder(script);
                pb.environment().clear();
                pb.environment().put("PATH", "/usr/bin:/bin");
                Process p = pb.start();
                long started = System.nanoTime();
                p.getOutputStream().close();
                try (InputStream in = p.getInputStream()) {
                    while (in.read(buf) >= 0) {
                        // drain
                    }
                }
                p.getErrorStream().close();
                p.waitFor();
                micros[i] = (System.nanoTime() - t0) / 1000;
                if (round == 1 && i == 0) {
                    System.err.printf("first start() alone: %d us%n", (started - t0) / 1000);
                }
            }
        }
        long[] cpu1 = cpuTicks();
        long[] s = micros.clone();
        Arrays.sort(s);
        System.out.printf("%s %s: median %d us, p10 %d us, p90 %d us per spawn+exit (%d spawns) -> %.0f/s serial%n",
                System.getProperty("java.version"),
                System.getProperty("jdk.lang.Process.launchMechanism", "default"),
                s[n / 2], s[n / 10], s[n * 9 / 10], n, 1e6 / s[n / 2]);
        // CPU, not wall time, so a loaded machine still gives comparable figures: the JVM's own threads (utime +
        // stime) and its reaped children (cutime + cstime), per spawn; USER_HZ ticks are 10 ms.
        System.out.printf("CPU per spawn: JVM %.3f ms (all threads), children %.3f ms%n",
                (cpu1[0] - cpu0[0]) * 10.0 / n, (cpu1[1] - cpu0[1]) * 10.0 / n);
    }

    /** {own, children} CPU ticks of this process from /proc/self/stat (fields 14+15 and 16+17). */
    private static long[] cpuTicks() throws java.io.IOException {
        String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // f[0] is field 3 (state): field k is f[k - 3]
        return new long[] {Long.parseLong(f[11]) + Long.parseLong(f[12]), Long.parseLong(f[13]) + Long.parseLong(f[14])};
    }
}
