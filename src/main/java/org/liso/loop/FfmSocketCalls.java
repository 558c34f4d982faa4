package org.liso.loop;

import java.lang.invoke.MethodHandle;

/**
 * {@link SocketCalls} through the FFM API (Java 22+, {@link JdkInternals#foreign}): setsockopt/getsockopt/getsockname
 * as downcall handles.
 */
final class FfmSocketCalls implements SocketCalls {
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    private final JdkInternals.Foreign ffm;
    private final MethodHandle setsockopt;
    private final MethodHandle getsockopt;
    private final MethodHandle getsockname;
    private final Object arenaGlobal;

    private FfmSocketCalls(JdkInternals.Foreign ffm) throws ReflectiveOperationException {
        this.ffm = ffm;
        Object i = ffm.javaInt;
        Object a = ffm.address;
        setsockopt = ffm.downcall("setsockopt", i, i, i, i, a, i);
        getsockopt = ffm.downcall("getsockopt", i, i, i, i, a, a);
        getsockname = ffm.downcall("getsockname", i, i, a, a);
        arenaGlobal = JdkInternals.Foreign.type("Arena").getMethod("global").invoke(null);
    }

    /**
     * The downcall handles, if this runtime has the FFM API and lets this code use it.
     *
     * @throws UnsupportedOperationException saying why not
     */
    static FfmSocketCalls open() {
        JdkInternals.Foreign ffm = JdkInternals.foreign();
        try {
            return new FfmSocketCalls(ffm);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw JdkInternals.ffmUnavailable(e);
        }
    }

    /** Global arena: a few bytes per call, only at start-up; freeing is not worth a confined arena's handles. */
    private Object alloc(long bytes) throws Throwable {
        return ffm.allocate(arenaGlobal, bytes);
    }

    @Override
    public boolean setIntOption(int fd, int level, int name, int value) {
        try {
            Object v = alloc(4);
            ffm.setInt(v, 0L, value);
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
            ffm.setInt(len, 0L, 4);
            if ((int) getsockopt.invoke(fd, level, name, v, len) != 0) {
                return -1;
            }
            return ffm.getInt(v, 0L);
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
            ffm.setInt(len, 0L, 128);
            if ((int) getsockname.invoke(fd, addr, len) != 0) {
                return -1;
            }
            int family = (ffm.getByte(addr, 0L) & 0xff)
                    | (ffm.getByte(addr, 1L) & 0xff) << 8; // sa_family_t, host order (x86, arm)
            if (family != AF_INET && family != AF_INET6) {
                return -1;
            }
            int hi = ffm.getByte(addr, 2L) & 0xff;
            int lo = ffm.getByte(addr, 3L) & 0xff;
            return hi << 8 | lo;
        } catch (Throwable e) {
            return -1;
        }
    }
}
