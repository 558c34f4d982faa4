package org.liso.cgi;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.util.Optional;

/**
 * The few libc calls {@link PosixSpawn} makes, as FFM downcall handles (Java 22+), built by reflection because the
 * code is compiled with {@code --release 17}. Memory comes from a confined arena per spawn ({@link #arena}), and
 * waitpid's status from a word per thread ({@link #statusWord}); every call answers what libc answered (an
 * errno-style result or -1), never throws for a failed call.
 */
final class Libc {
    private static final int FIRST_FFM_RELEASE = 22;

    final MethodHandle pipe2;
    final MethodHandle close;
    final MethodHandle kill;
    final MethodHandle waitpid;
    final MethodHandle waitid;
    final MethodHandle spawn;
    final MethodHandle actionsInit;
    final MethodHandle actionsDestroy;
    final MethodHandle addDup2;
    final MethodHandle addOpen;
    final MethodHandle addCloseFrom;
    final MethodHandle addChdir;

    private final Class<?> segmentType;
    private final Object javaInt;
    private final Object javaByte;
    private final Object address;
    private final Object nullSegment;
    private final MethodHandle ofConfined;
    private final MethodHandle allocate;
    private final MethodHandle closeArena;
    private final MethodHandle getInt;
    private final MethodHandle setInt;
    private final MethodHandle setAddressAt;
    private final MethodHandle copyBytes;
    private final MethodHandle asSlice;
    private final MethodHandle ofAuto;
    /** A 4-byte int per thread for waitpid's status, instead of an arena per call. */
    private final ThreadLocal<Object> statusWord = ThreadLocal.withInitial(this::newStatusWord);

    private Libc() throws ReflectiveOperationException {
        Class<?> linkerType = Class.forName("java.lang.foreign.Linker");
        Class<?> lookupType = Class.forName("java.lang.foreign.SymbolLookup");
        Class<?> layoutType = Class.forName("java.lang.foreign.MemoryLayout");
        Class<?> valueLayout = Class.forName("java.lang.foreign.ValueLayout");
        Class<?> descriptorType = Class.forName("java.lang.foreign.FunctionDescriptor");
        Class<?> optionType = Class.forName("java.lang.foreign.Linker$Option");
        Class<?> arenaType = Class.forName("java.lang.foreign.Arena");
        segmentType = Class.forName("java.lang.foreign.MemorySegment");
        MethodHandles.Lookup l = MethodHandles.publicLookup();

        Object linker = linkerType.getMethod("nativeLinker").invoke(null);
        Object symbols = linkerType.getMethod("defaultLookup").invoke(linker);
        javaInt = valueLayout.getField("JAVA_INT").get(null);
        javaByte = valueLayout.getField("JAVA_BYTE").get(null);
        address = valueLayout.getField("ADDRESS").get(null);
        nullSegment = segmentType.getField("NULL").get(null);
        Object i = javaInt;
        Object a = address;
        Method find = lookupType.getMethod("find", String.class);
        Method of = descriptorType.getMethod("of", layoutType, layoutType.arrayType());
        Method downcall = linkerType.getMethod("downcallHandle", segmentType, descriptorType, optionType.arrayType());
        Object noOptions = Array.newInstance(optionType, 0);
        class Binder {
            MethodHandle bind(String name, Object result, Object... args) throws ReflectiveOperationException {
                Optional<?> symbol = (Optional<?>) find.invoke(symbols, name);
                if (symbol.isEmpty()) {
                    throw new NoSuchMethodException("libc has no " + name);
                }
                Object layouts = Array.newInstance(layoutType, args.length);
                for (int k = 0; k < args.length; k++) {
                    Array.set(layouts, k, args[k]);
                }
                return (MethodHandle) downcall.invoke(linker, symbol.get(), of.invoke(null, result, layouts),
                        noOptions);
            }
        }
        Binder b = new Binder();
        pipe2 = b.bind("pipe2", i, a, i);
        close = b.bind("close", i, i);
        kill = b.bind("kill", i, i, i);
        waitpid = b.bind("waitpid", i, i, a, i);
        waitid = b.bind("waitid", i, i, i, a, i);
        spawn = b.bind("posix_spawn", i, a, a, a, a, a, a);
        actionsInit = b.bind("posix_spawn_file_actions_init", i, a);
        actionsDestroy = b.bind("posix_spawn_file_actions_destroy", i, a);
        addDup2 = b.bind("posix_spawn_file_actions_adddup2", i, a, i, i);
        addOpen = b.bind("posix_spawn_file_actions_addopen", i, a, i, a, i, i);
        // glibc 2.34 (close_range: no /proc scan in the child) and 2.29; without them the JDK spawns instead
        addCloseFrom = b.bind("posix_spawn_file_actions_addclosefrom_np", i, a, i);
        addChdir = b.bind("posix_spawn_file_actions_addchdir_np", i, a, a);

        ofConfined = l.unreflect(arenaType.getMethod("ofConfined"));
        allocate = l.unreflect(Class.forName("java.lang.foreign.SegmentAllocator").getMethod("allocate", long.class));
        closeArena = l.unreflect(arenaType.getMethod("close"));
        Class<?> ofInt = Class.forName("java.lang.foreign.ValueLayout$OfInt");
        getInt = l.unreflect(segmentType.getMethod("get", ofInt, long.class));
        setInt = l.unreflect(segmentType.getMethod("set", ofInt, long.class, int.class));
        setAddressAt = l.unreflect(segmentType.getMethod("setAtIndex",
                Class.forName("java.lang.foreign.AddressLayout"), long.class, segmentType));
        copyBytes = l.unreflect(segmentType.getMethod("copy", Object.class, int.class, segmentType, valueLayout,
                long.class, int.class));
        asSlice = l.unreflect(segmentType.getMethod("asSlice", long.class));
        ofAuto = l.unreflect(arenaType.getMethod("ofAuto"));
    }

    /**
     * libc through the FFM API, if this runtime has it and lets this code use it.
     *
     * @throws UnsupportedOperationException saying why not
     */
    static Libc open() {
        if (Runtime.version().feature() < FIRST_FFM_RELEASE) {
            throw new UnsupportedOperationException("the FFM API needs Java " + FIRST_FFM_RELEASE + "+, running "
                    + Runtime.version().feature());
        }
        try {
            return new Libc();
        } catch (ReflectiveOperationException | RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new UnsupportedOperationException("FFM unavailable: " + cause);
        }
    }

    Object nullPointer() {
        return nullSegment;
    }

    /** A confined arena: closed by the thread that opened it, once the spawn returned. */
    Object arena() throws Throwable {
        return ofConfined.invoke();
    }

    void release(Object arena) throws Throwable {
        closeArena.invoke(arena);
    }

    /** Zeroed native memory of {@code bytes} from {@code arena}. */
    Object allocate(Object arena, long bytes) throws Throwable {
        return allocate.invoke(arena, bytes);
    }

    int getInt(Object segment, long offset) throws Throwable {
        return (int) getInt.invoke(segment, javaInt, offset);
    }

    void setInt(Object segment, long offset, int value) throws Throwable {
        setInt.invoke(segment, javaInt, offset, value);
    }

    /** {@code bytes} and a NUL, as a C string in {@code arena}. */
    Object cString(Object arena, byte[] bytes) throws Throwable {
        Object s = allocate(arena, bytes.length + 1L);
        copyBytes.invoke((Object) bytes, 0, s, javaByte, 0L, bytes.length);
        return s;
    }

    /**
     * A NULL-terminated array of pointers to {@code strings} (argv, envp), in {@code arena}: one allocation, the
     * strings packed behind the pointers (a spawn's environment was some twenty allocations, each a malloc and a
     * free).
     */
    Object cStringArray(Object arena, byte[][] strings) throws Throwable {
        long pointers = 8L * (strings.length + 1);
        long size = pointers;
        for (byte[] s : strings) {
            size += s.length + 1L;
        }
        Object array = allocate(arena, size);
        long at = pointers;
        for (int k = 0; k < strings.length; k++) {
            Object s = asSlice.invoke(array, at);
            copyBytes.invoke((Object) strings[k], 0, s, javaByte, 0L, strings[k].length);
            setAddressAt.invoke(array, address, (long) k, s);
            at += strings[k].length + 1L; // allocate zeroed it: the NUL is there
        }
        setAddressAt.invoke(array, address, (long) strings.length, nullSegment);
        return array;
    }

    /** This thread's int for waitpid's status: valid until this thread's next call. */
    Object statusWord() {
        return statusWord.get();
    }

    private Object newStatusWord() {
        try {
            return allocate(ofAuto.invoke(), 4); // freed by the GC with the thread's ThreadLocal
        } catch (Throwable e) {
            throw new IllegalStateException("cannot allocate native memory", e);
        }
    }

}
