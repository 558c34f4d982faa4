package org.liso.cgi;

import java.lang.invoke.MethodHandle;
import org.liso.loop.JdkInternals;

/**
 * The few libc calls {@link PosixSpawn} makes, as FFM downcall handles (Java 22+, {@link JdkInternals#foreign}).
 * Memory comes from a confined arena per spawn ({@link #arena}), and waitpid's status from a word per thread
 * ({@link #statusWord}); every call answers what libc answered (an
 * errno-style result or -1), never throws for a failed call.
 */
final class Libc {
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

    private final JdkInternals.Foreign ffm;
    private final MethodHandle ofConfined;
    private final MethodHandle closeArena;
    private final MethodHandle setAddressAt;
    private final MethodHandle copyBytes;
    private final MethodHandle asSlice;
    private final MethodHandle ofAuto;
    /** A 4-byte int per thread for waitpid's status, instead of an arena per call. */
    private final ThreadLocal<Object> statusWord = ThreadLocal.withInitial(this::newStatusWord);

    private Libc(JdkInternals.Foreign ffm) throws ReflectiveOperationException {
        this.ffm = ffm;
        Object i = ffm.javaInt;
        Object a = ffm.address;
        pipe2 = ffm.downcall("pipe2", i, a, i);
        close = ffm.downcall("close", i, i);
        kill = ffm.downcall("kill", i, i, i);
        waitpid = ffm.downcall("waitpid", i, i, a, i);
        waitid = ffm.downcall("waitid", i, i, i, a, i);
        spawn = ffm.downcall("posix_spawn", i, a, a, a, a, a, a);
        actionsInit = ffm.downcall("posix_spawn_file_actions_init", i, a);
        actionsDestroy = ffm.downcall("posix_spawn_file_actions_destroy", i, a);
        addDup2 = ffm.downcall("posix_spawn_file_actions_adddup2", i, a, i, i);
        addOpen = ffm.downcall("posix_spawn_file_actions_addopen", i, a, i, a, i, i);
        // glibc 2.34 (close_range: no /proc scan in the child) and 2.29; without them the JDK spawns instead
        addCloseFrom = ffm.downcall("posix_spawn_file_actions_addclosefrom_np", i, a, i);
        addChdir = ffm.downcall("posix_spawn_file_actions_addchdir_np", i, a, a);

        ofConfined = JdkInternals.Foreign.method("Arena", "ofConfined");
        closeArena = JdkInternals.Foreign.method("Arena", "close");
        setAddressAt = JdkInternals.Foreign.method("MemorySegment", "setAtIndex",
                JdkInternals.Foreign.type("AddressLayout"), long.class, ffm.segmentType);
        copyBytes = JdkInternals.Foreign.method("MemorySegment", "copy", Object.class, int.class, ffm.segmentType,
                JdkInternals.Foreign.type("ValueLayout"), long.class, int.class);
        asSlice = JdkInternals.Foreign.method("MemorySegment", "asSlice", long.class);
        ofAuto = JdkInternals.Foreign.method("Arena", "ofAuto");
    }

    /**
     * libc through the FFM API, if this runtime has it and lets this code use it.
     *
     * @throws UnsupportedOperationException saying why not
     */
    static Libc open() {
        JdkInternals.Foreign ffm = JdkInternals.foreign();
        try {
            return new Libc(ffm);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw JdkInternals.ffmUnavailable(e);
        }
    }

    Object nullPointer() {
        return ffm.nullSegment;
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
        return ffm.allocate(arena, bytes);
    }

    int getInt(Object segment, long offset) throws Throwable {
        return ffm.getInt(segment, offset);
    }

    void setInt(Object segment, long offset, int value) throws Throwable {
        ffm.setInt(segment, offset, value);
    }

    /** {@code bytes} and a NUL, as a C string in {@code arena}. */
    Object cString(Object arena, byte[] bytes) throws Throwable {
        Object s = allocate(arena, bytes.length + 1L);
        copyBytes.invoke((Object) bytes, 0, s, ffm.javaByte, 0L, bytes.length);
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
            copyBytes.invoke((Object) strings[k], 0, s, ffm.javaByte, 0L, strings[k].length);
            setAddressAt.invoke(array, ffm.address, (long) k, s);
            at += strings[k].length + 1L; // allocate zeroed it: the NUL is there
        }
        setAddressAt.invoke(array, ffm.address, (long) strings.length, ffm.nullSegment);
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
