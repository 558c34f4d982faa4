import static jdk.incubator.foreign.CLinker.C_INT;
import static jdk.incubator.foreign.CLinker.C_LONG;
import static jdk.incubator.foreign.CLinker.C_POINTER;

import java.io.InputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.util.Arrays;
import jdk.incubator.foreign.CLinker;
import jdk.incubator.foreign.FunctionDescriptor;
import jdk.incubator.foreign.MemoryAccess;
import jdk.incubator.foreign.MemoryAddress;
import jdk.incubator.foreign.MemorySegment;
import jdk.incubator.foreign.ResourceScope;
import jdk.incubator.foreign.SegmentAllocator;

/**
 * Java 17 only: what a CGI spawn would cost through JDK 17's incubating FFM API ({@code jdk.incubator.foreign}:
 * posix_spawn with /dev/null stdin, stdout and stderr pipes dup2'd, closefrom 3, chdir; our ends read by read(2);
 * waitpid) against the JDK's own VFORK spawn ({@code java.lang.Process}: its reaper thread, /proc/PID/stat, the
 * child's descriptor scan), both in one thread, no HTTP. Issue 18 item 2, bench/results/cgi.md (session 6):
 * <pre>
 *   java --add-modules jdk.incubator.foreign --enable-native-access=ALL-UNNAMED \
 *       -Djdk.lang.Process.launchMechanism=VFORK bench/SpawnCostFfm17.java jdk|ffm SCRIPT N
 * </pre>
 * Prints "WARNING: Using incubator modules" at every start; the API changed in 18, 19, 20 and 22, so the same
 * source compiles on 17 only.
 */
public class SpawnCostFfm17 {
    private static final int O_CLOEXEC = 0x80000;
    private static final CLinker C = CLinker.getInstance();

    private static MethodHandle fn(String name, MethodType type, FunctionDescriptor d) {
        return C.downcallHandle(CLinker.systemLookup().lookup(name).orElseThrow(), type, d);
    }

    private static final MethodType ADDR_INT = MethodType.methodType(int.class, MemoryAddress.class, int.class);
    private static final MethodHandle PIPE2 = fn("pipe2", ADDR_INT, FunctionDescriptor.of(C_INT, C_POINTER, C_INT));
    private static final MethodHandle CLOSE = fn("close", MethodType.methodType(int.class, int.class),
            FunctionDescriptor.of(C_INT, C_INT));
    private static final MethodHandle READ = fn("read",
            MethodType.methodType(long.class, int.class, MemoryAddress.class, long.class),
            FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_LONG));
    private static final MethodHandle WAITPID = fn("waitpid",
            MethodType.methodType(int.class, int.class, MemoryAddress.class, int.class),
            FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_INT));
    private static final MethodHandle SPAWN = fn("posix_spawn",
            MethodType.methodType(int.class, MemoryAddress.class, MemoryAddress.class, MemoryAddress.class,
                    MemoryAddress.class, MemoryAddress.class, MemoryAddress.class),
            FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER, C_POINTER, C_POINTER, C_POINTER, C_POINTER));
    private static final MethodHandle INIT = fn("posix_spawn_file_actions_init",
            MethodType.methodType(int.class, MemoryAddress.class), FunctionDescriptor.of(C_INT, C_POINTER));
    private static final MethodHandle DESTROY = fn("posix_spawn_file_actions_destroy",
            MethodType.methodType(int.class, MemoryAddress.class), FunctionDescriptor.of(C_INT, C_POINTER));
    private static final MethodHandle DUP2 = fn("posix_spawn_file_actions_adddup2",
            MethodType.methodType(int.class, MemoryAddress.class, int.class, int.class),
            FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_INT));
    private static final MethodHandle OPEN = fn("posix_spawn_file_actions_addopen",
            MethodType.methodType(int.class, MemoryAddress.class, int.class, MemoryAddress.class, int.class,
                    int.class), FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_POINTER, C_INT, C_INT));
    private static final MethodHandle CLOSEFROM = fn("posix_spawn_file_actions_addclosefrom_np", ADDR_INT,
            FunctionDescriptor.of(C_INT, C_POINTER, C_INT));
    private static final MethodHandle CHDIR = fn("posix_spawn_file_actions_addchdir_np",
            MethodType.methodType(int.class, MemoryAddress.class, MemoryAddress.class),
            FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER));

    public static void main(String[] args) throws Throwable {
        boolean ffm = args[0].equals("ffm");
        String script = args[1];
        int n = Integer.parseInt(args[2]);
        long[] micros = new long[n];
        long[] cpu0 = null;
        int bytes = 0;
        for (int round = 0; round < 2; round++) { // the first round warms the JIT and the page cache
            if (round == 1) {
                cpu0 = cpuTicks();
            }
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                bytes = ffm ? spawnFfm(script) : spawnJdk(script);
                micros[i] = (System.nanoTime() - t0) / 1000;
            }
        }
        long[] cpu1 = cpuTicks();
        long[] s = micros.clone();
        Arrays.sort(s);
        System.out.printf("%s %s: median %d us, p10 %d us, p90 %d us per spawn+exit (%d spawns, %d bytes out)%n",
                System.getProperty("java.version"), ffm ? "incubator FFM posix_spawn" : "JDK "
                + System.getProperty("jdk.lang.Process.launchMechanism", "default"), s[n / 2], s[n / 10],
                s[n * 9 / 10], n, bytes);
        System.out.printf("CPU per spawn: JVM %.3f ms (all threads), children %.3f ms%n",
                (cpu1[0] - cpu0[0]) * 10.0 / n, (cpu1[1] - cpu0[1]) * 10.0 / n);
    }

    private static int spawnJdk(String script) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(script).redirectInput(new java.io.File("/dev/null"));
        pb.environment().clear();
        pb.environment().put("PATH", "/usr/bin:/bin");
        Process p = pb.start();
        int total = 0;
        byte[] buf = new byte[8192];
        try (InputStream in = p.getInputStream()) {
            for (int k; (k = in.read(buf)) >= 0; ) {
                total += k;
            }
        }
        p.getErrorStream().readAllBytes();
        p.waitFor();
        return total;
    }

    private static int spawnFfm(String script) throws Throwable {
        try (ResourceScope scope = ResourceScope.newConfinedScope()) {
            SegmentAllocator a = SegmentAllocator.ofScope(scope);
            MemorySegment out = a.allocate(8);
            MemorySegment err = a.allocate(8);
            check((int) PIPE2.invokeExact(out.address(), O_CLOEXEC), "pipe2");
            check((int) PIPE2.invokeExact(err.address(), O_CLOEXEC), "pipe2");
            int outR = MemoryAccess.getIntAtOffset(out, 0);
            int outW = MemoryAccess.getIntAtOffset(out, 4);
            int errR = MemoryAccess.getIntAtOffset(err, 0);
            int errW = MemoryAccess.getIntAtOffset(err, 4);
            MemorySegment actions = a.allocate(256);
            check((int) INIT.invokeExact(actions.address()), "init");
            MemoryAddress actionsAt = actions.address();
            check((int) OPEN.invokeExact(actionsAt, 0, CLinker.toCString("/dev/null", a).address(), 0, 0), "open");
            check((int) DUP2.invokeExact(actionsAt, outW, 1), "dup2");
            check((int) DUP2.invokeExact(actionsAt, errW, 2), "dup2");
            check((int) CLOSEFROM.invokeExact(actionsAt, 3), "closefrom");
            check((int) CHDIR.invokeExact(actionsAt, CLinker.toCString("/tmp", a).address()), "chdir");
            MemorySegment path = CLinker.toCString(script, a);
            MemorySegment argv = a.allocate(16);
            MemoryAccess.setAddressAtIndex(argv, 0, path);
            MemorySegment envp = a.allocate(16);
            MemoryAccess.setAddressAtIndex(envp, 0, CLinker.toCString("PATH=/usr/bin:/bin", a));
            MemorySegment pid = a.allocate(4);
            int rc = (int) SPAWN.invokeExact(pid.address(), path.address(), actionsAt, MemoryAddress.NULL,
                    argv.address(), envp.address());
            check((int) DESTROY.invokeExact(actionsAt), "destroy");
            check(rc, "posix_spawn");
            int ignored = (int) CLOSE.invokeExact(outW);
            ignored = (int) CLOSE.invokeExact(errW);
            MemorySegment buf = a.allocate(8192);
            int total = 0;
            for (long k; (k = (long) READ.invokeExact(outR, buf.address(), 8192L)) > 0; ) {
                total += (int) k;
            }
            while ((long) READ.invokeExact(errR, buf.address(), 8192L) > 0) {
                // drain
            }
            ignored = (int) CLOSE.invokeExact(outR);
            ignored = (int) CLOSE.invokeExact(errR);
            MemorySegment status = a.allocate(4);
            check((int) WAITPID.invokeExact(MemoryAccess.getIntAtOffset(pid, 0), status.address(), 0) > 0 ? 0 : -1,
                    "waitpid");
            return total;
        }
    }

    private static void check(int rc, String what) {
        if (rc != 0) {
            throw new IllegalStateException(what + " failed: " + rc);
        }
    }

    /** {own, children} CPU ticks of this process from /proc/self/stat (fields 14+15 and 16+17). */
    private static long[] cpuTicks() throws java.io.IOException {
        String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new long[] {Long.parseLong(f[11]) + Long.parseLong(f[12]), Long.parseLong(f[13]) + Long.parseLong(f[14])};
    }
}
