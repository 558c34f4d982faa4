package org.liso.loop;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.Array;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * TCP_NOTSENT_LOWAT (Linux, {@code tcp(7)}) on a listening socket, inherited by every connection it accepts: the
 * socket reports writable, and {@code sendfile} stops filling it, while at most that many bytes wait unsent. Without
 * it a large download keeps the whole autotuned send buffer (4 MiB) full, and each ACK from the client then makes the
 * kernel transmit the queued bytes in the client's own context — on loopback that moves the server's TCP work onto
 * the client's CPU (bench/results/large-files.md). Bytes in flight are not limited, so long-RTT links keep their
 * window: unlike a fixed SO_SNDBUF, this costs no throughput there.
 *
 * <p>The JDK has no such socket option and no public file descriptor, so this goes through the FFM API (Java 22+,
 * reached by reflection: the code is built with {@code --release 17}): the listener is found among this process's
 * sockets as the listening one bound to the port, and {@code setsockopt} is called on it. On Java 17-21 it is
 * skipped and says why.
 */
public final class NotSentLowWater {
    private static final int SOL_SOCKET = 1;
    private static final int SO_ACCEPTCONN = 30;
    private static final int IPPROTO_TCP = 6;
    private static final int TCP_NOTSENT_LOWAT = 25;
    private static final int FIRST_FFM_RELEASE = 22;

    /** What {@link #apply} did: set on {@code sockets} listeners, or not, and why. */
    public record Outcome(int sockets, String skipped) {
        public boolean applied() {
            return sockets > 0;
        }
    }

    private NotSentLowWater() {
    }

    /**
     * Sets TCP_NOTSENT_LOWAT to {@code bytes} on this process's listening TCP sockets bound to {@code port}.
     * Never throws: a runtime or kernel without the option leaves the sockets as they are.
     */
    public static Outcome apply(int port, int bytes) {
        if (bytes <= 0) {
            return new Outcome(0, "off");
        }
        if (Runtime.version().feature() < FIRST_FFM_RELEASE) {
            return new Outcome(0, "needs Java " + FIRST_FFM_RELEASE + "+ (FFM API), running "
                    + Runtime.version().feature());
        }
        if (!Files.isDirectory(Path.of("/proc/self/fd"))) {
            return new Outcome(0, "no /proc/self/fd");
        }
        try {
            Native c = Native.load();
            int set = 0;
            for (int fd : socketFds()) {
                if (c.getIntOption(fd, SOL_SOCKET, SO_ACCEPTCONN) == 1 && c.boundPort(fd) == port
                        && c.setIntOption(fd, IPPROTO_TCP, TCP_NOTSENT_LOWAT, bytes)
                        && c.getIntOption(fd, IPPROTO_TCP, TCP_NOTSENT_LOWAT) == bytes) {
                    set++;
                }
            }
            return new Outcome(set, set > 0 ? "" : "no listening socket on port " + port + " took the option");
        } catch (Throwable e) { // a restricted or missing FFM (e.g. --enable-native-access=deny) must not stop serving
            return new Outcome(0, "FFM unavailable: " + e);
        }
    }

    /** Reads TCP_NOTSENT_LOWAT of a socket of this process, or -1 (for tests and diagnostics). */
    static int read(int fd) {
        try {
            return Native.load().getIntOption(fd, IPPROTO_TCP, TCP_NOTSENT_LOWAT);
        } catch (Throwable e) {
            return -1;
        }
    }

    static List<Integer> socketFds() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(p -> {
                try {
                    return Files.readSymbolicLink(p).toString().startsWith("socket:");
                } catch (IOException | UnsupportedOperationException e) {
                    return false; // closed meanwhile (the listing's own fd)
                }
            }).map(p -> Integer.parseInt(p.getFileName().toString())).toList();
        }
    }

    /** setsockopt/getsockopt/getsockname as method handles built with java.lang.foreign, reflectively. */
    private static final class Native {
        private static volatile Native loaded;
        private final MethodHandle setsockopt;
        private final MethodHandle getsockopt;
        private final MethodHandle getsockname;
        private final Class<?> segmentType;
        private final Object arenaGlobal;
        private final MethodHandle allocate;
        private final MethodHandle getInt;
        private final MethodHandle setInt;
        private final MethodHandle getByte;
        private final Object javaInt;
        private final Object javaByte;

        private Native() throws ReflectiveOperationException {
            Class<?> linkerType = Class.forName("java.lang.foreign.Linker");
            Class<?> lookupType = Class.forName("java.lang.foreign.SymbolLookup");
            Class<?> layoutType = Class.forName("java.lang.foreign.MemoryLayout");
            Class<?> valueLayout = Class.forName("java.lang.foreign.ValueLayout");
            Class<?> descriptorType = Class.forName("java.lang.foreign.FunctionDescriptor");
            Class<?> optionType = Class.forName("java.lang.foreign.Linker$Option");
            Class<?> ofInt = Class.forName("java.lang.foreign.ValueLayout$OfInt");
            Class<?> ofByte = Class.forName("java.lang.foreign.ValueLayout$OfByte");
            segmentType = Class.forName("java.lang.foreign.MemorySegment");
            Class<?> arenaType = Class.forName("java.lang.foreign.Arena");
            java.lang.invoke.MethodHandles.Lookup l = java.lang.invoke.MethodHandles.publicLookup();

            Object linker = linkerType.getMethod("nativeLinker").invoke(null);
            Object symbols = linkerType.getMethod("defaultLookup").invoke(linker);
            javaInt = valueLayout.getField("JAVA_INT").get(null);
            javaByte = valueLayout.getField("JAVA_BYTE").get(null);
            Object address = valueLayout.getField("ADDRESS").get(null);
            Object i = javaInt;
            Object a = address;
            setsockopt = downcall(linkerType, lookupType, layoutType, descriptorType, optionType, linker, symbols,
                    "setsockopt", i, i, i, i, a, i);
            getsockopt = downcall(linkerType, lookupType, layoutType, descriptorType, optionType, linker, symbols,
                    "getsockopt", i, i, i, i, a, a);
            getsockname = downcall(linkerType, lookupType, layoutType, descriptorType, optionType, linker, symbols,
                    "getsockname", i, i, a, a);
            arenaGlobal = arenaType.getMethod("global").invoke(null);
            allocate = l.unreflect(Class.forName("java.lang.foreign.SegmentAllocator")
                    .getMethod("allocate", long.class));
            getInt = l.unreflect(segmentType.getMethod("get", ofInt, long.class));
            setInt = l.unreflect(segmentType.getMethod("set", ofInt, long.class, int.class));
            getByte = l.unreflect(segmentType.getMethod("get", ofByte, long.class));
        }

        static Native load() throws ReflectiveOperationException {
            Native n = loaded;
            if (n == null) {
                n = new Native();
                loaded = n;
            }
            return n;
        }

        private static MethodHandle downcall(Class<?> linkerType, Class<?> lookupType, Class<?> layoutType,
                Class<?> descriptorType, Class<?> optionType, Object linker, Object symbols, String name,
                Object result, Object... args) throws ReflectiveOperationException {
            Optional<?> symbol = (Optional<?>) lookupType.getMethod("find", String.class).invoke(symbols, name);
            Object argLayouts = Array.newInstance(layoutType, args.length);
            for (int k = 0; k < args.length; k++) {
                Array.set(argLayouts, k, args[k]);
            }
            Object descriptor = descriptorType.getMethod("of", layoutType, argLayouts.getClass())
                    .invoke(null, result, argLayouts);
            return (MethodHandle) linkerType.getMethod("downcallHandle", segmentType(), descriptorType,
                    optionType.arrayType()).invoke(linker, symbol.orElseThrow(), descriptor,
                    Array.newInstance(optionType, 0));
        }

        private static Class<?> segmentType() throws ClassNotFoundException {
            return Class.forName("java.lang.foreign.MemorySegment");
        }

        /** Global arena: a few bytes per call, only at start-up; freeing is not worth a confined arena's handles. */
        private Object alloc(long bytes) throws Throwable {
            return allocate.invoke(arenaGlobal, bytes);
        }

        boolean setIntOption(int fd, int level, int name, int value) throws Throwable {
            Object v = alloc(4);
            setInt.invoke(v, javaInt, 0L, value);
            return (int) setsockopt.invoke(fd, level, name, v, 4) == 0;
        }

        int getIntOption(int fd, int level, int name) throws Throwable {
            Object v = alloc(4);
            Object len = alloc(4);
            setInt.invoke(len, javaInt, 0L, 4);
            if ((int) getsockopt.invoke(fd, level, name, v, len) != 0) {
                return -1;
            }
            return (int) getInt.invoke(v, javaInt, 0L);
        }

        /** The local port of a socket (sin_port and sin6_port sit at offset 2, big-endian), or -1. */
        int boundPort(int fd) throws Throwable {
            Object addr = alloc(128);
            Object len = alloc(4);
            setInt.invoke(len, javaInt, 0L, 128);
            if ((int) getsockname.invoke(fd, addr, len) != 0) {
                return -1;
            }
            int hi = (byte) getByte.invoke(addr, javaByte, 2L) & 0xff;
            int lo = (byte) getByte.invoke(addr, javaByte, 3L) & 0xff;
            return hi << 8 | lo;
        }
    }
}
