package org.liso.loop;

import java.io.FileDescriptor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;

/**
 * {@link SocketCalls} through the JDK's own socket natives in {@code sun.nio.ch} (the same on Java 17 and 25):
 * {@code Net.getIntOption0}/{@code setIntOption0} take a raw level and option name, {@code IOUtil.newFD} wraps a
 * descriptor number (without taking ownership: nothing closes it when the wrapper is collected), and
 * {@code Net.localAddress} is getsockname. This is how Java 17-21, which lack the FFM API, reach TCP_NOTSENT_LOWAT
 * without a native library of ours. It needs {@code sun.nio.ch} opened ({@link JdkInternals#nioClass}); without it
 * {@link #open} says so and nothing is touched.
 */
final class JdkSocketCalls implements SocketCalls {
    private final Method getIntOption0;
    private final Method setIntOption0;
    private final Method localAddress;
    private final Method newFD;

    private JdkSocketCalls(Class<?> net, Class<?> ioUtil) throws ReflectiveOperationException {
        getIntOption0 = net.getDeclaredMethod("getIntOption0", FileDescriptor.class, boolean.class, int.class,
                int.class);
        setIntOption0 = net.getDeclaredMethod("setIntOption0", FileDescriptor.class, boolean.class, int.class,
                int.class, int.class, boolean.class);
        localAddress = net.getDeclaredMethod("localAddress", FileDescriptor.class);
        newFD = ioUtil.getDeclaredMethod("newFD", int.class);
        for (Method m : new Method[] {getIntOption0, setIntOption0, localAddress, newFD}) {
            m.setAccessible(true);
        }
    }

    /**
     * The JDK's natives, if this runtime has them and opens their package to this code.
     *
     * @throws UnsupportedOperationException saying why not (the package is not opened, or the JDK differs)
     */
    static JdkSocketCalls open() {
        Class<?> net = JdkInternals.nioClass("Net");
        Class<?> ioUtil = JdkInternals.nioClass("IOUtil");
        try {
            return new JdkSocketCalls(net, ioUtil);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw JdkInternals.nioDiffers(e);
        }
    }

    @Override
    public int getIntOption(int fd, int level, int name) {
        try {
            // mayNeedConversion=false: the plain getsockopt, no mapping of Java's option semantics
            return (int) getIntOption0.invoke(null, descriptor(fd), false, level, name);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return -1;
        }
    }

    @Override
    public boolean setIntOption(int fd, int level, int name, int value) {
        try {
            setIntOption0.invoke(null, descriptor(fd), false, level, name, value, false);
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public int boundPort(int fd) {
        try {
            return ((InetSocketAddress) localAddress.invoke(null, descriptor(fd))).getPort();
        } catch (ReflectiveOperationException | RuntimeException e) {
            return -1; // a Unix socket, say: no InetSocketAddress for it
        }
    }

    private FileDescriptor descriptor(int fd) throws IllegalAccessException, InvocationTargetException {
        return (FileDescriptor) newFD.invoke(null, fd);
    }
}
