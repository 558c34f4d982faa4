package org.liso.loop;

import java.lang.invoke.MethodHandle;
import java.lang.reflect.Array;
import java.util.Optional;

/**
 * {@link SocketCalls} through the FFM API (Java 22+): setsockopt/getsockopt/getsockname as downcall handles, built
 * by reflection because the code is compiled with {@code --release 17}. Needs native access, which the jar's
 * manifest ({@code Enable-Native-Access}) and the launchers grant, so Java 22+ prints no warning.
 */
final class FfmSocketCalls implements SocketCalls {
    private static final int FIRST_FFM_RELEASE = 22;
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
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

    private FfmSocketCalls() throws ReflectiveOperationException {
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

    /**
     * The downcall handles, if this runtime has the FFM API and lets this code use it.
     *
     * @throws UnsupportedOperationException saying why not
     */
    static FfmSocketCalls open() {
        if (Runtime.version().feature() < FIRST_FFM_RELEASE) {
            throw new UnsupportedOperationException("the FFM API needs Java " + FIRST_FFM_RELEASE + "+, running "
                    + Runtime.version().feature());
        }
        try {
            return new FfmSocketCalls();
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new UnsupportedOperationException("FFM unavailable: " + e);
        }
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

    @Override
    public boolean setIntOption(int fd, int level, int name, int value) {
        try {
            Object v = alloc(4);
            setInt.invoke(v, javaInt, 0L, value);
            return (int) setsockopt.invoke(fd, level, name, v, 4) == 0;
        } catch (Throwable e) { // invokeExact's checked Throwable; a failed call is a refusal
            return false;
        }
    }

    @Override
    public int getIntOption(int fd, int level, int name) {
        try {
            Object v = alloc(4);
            Object len = alloc(4);
            setInt.invoke(len, javaInt, 0L, 4);
            if ((int) getsockopt.invoke(fd, level, name, v, len) != 0) {
                return -1;
            }
            return (int) getInt.invoke(v, javaInt, 0L);
        } catch (Throwable e) {
            return -1;
        }
    }

    /** sin_port and sin6_port sit at offset 2, big-endian; an AF_UNIX socket has no port (-1). */
    @Override
    public int boundPort(int fd) {
        try {
            Object addr = alloc(128);
            Object len = alloc(4);
            setInt.invoke(len, javaInt, 0L, 128);
            if ((int) getsockname.invoke(fd, addr, len) != 0) {
                return -1;
            }
            int family = ((byte) getByte.invoke(addr, javaByte, 0L) & 0xff)
                    | ((byte) getByte.invoke(addr, javaByte, 1L) & 0xff) << 8; // sa_family_t, host order (x86, arm)
            if (family != AF_INET && family != AF_INET6) {
                return -1;
            }
            int hi = (byte) getByte.invoke(addr, javaByte, 2L) & 0xff;
            int lo = (byte) getByte.invoke(addr, javaByte, 3L) & 0xff;
            return hi << 8 | lo;
        } catch (Throwable e) {
            return -1;
        }
    }
}
