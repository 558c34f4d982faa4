package org.liso.loop;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.util.Optional;

/**
 * What Liso reaches past the JDK's public API for, in one place, so every user refuses the same way: the classes of
 * {@code sun.nio.ch} (they need {@code --add-opens java.base/sun.nio.ch}, which the jar's manifest gives
 * {@code java -jar} and the launchers pass) and libc through the FFM API of Java 22+ (by reflection, as the code is
 * compiled with {@code --release 17}; native access is granted by the manifest's {@code Enable-Native-Access} and
 * the launchers). Each entry point throws {@link UnsupportedOperationException} saying why it cannot be had here;
 * the caller keeps its portable way.
 */
public final class JdkInternals {
    public static final String OPENS = "java.base/sun.nio.ch";
    private static final int FIRST_FFM_RELEASE = 22;

    private JdkInternals() {
    }

    /**
     * The class {@code sun.nio.ch.<simpleName>}, its package opened to Liso.
     *
     * @throws UnsupportedOperationException the JDK has no such class, or the package is not opened
     */
    public static Class<?> nioClass(String simpleName) {
        Class<?> c;
        try {
            c = Class.forName("sun.nio.ch." + simpleName);
        } catch (ClassNotFoundException e) {
            throw new UnsupportedOperationException("this JDK has no sun.nio.ch." + simpleName);
        }
        if (!c.getModule().isOpen("sun.nio.ch", JdkInternals.class.getModule())) {
            throw new UnsupportedOperationException(OPENS + " is not opened to liso (java -jar and the launchers"
                    + " open it; with -cp add --add-opens " + OPENS + "=ALL-UNNAMED)");
        }
        return c;
    }

    /** The refusal for a {@code sun.nio.ch} that is there and opened but not shaped as this code expects. */
    public static UnsupportedOperationException nioDiffers(Exception e) {
        return new UnsupportedOperationException("this JDK's sun.nio.ch differs: " + e);
    }

    /**
     * libc's linker and symbols through the FFM API.
     *
     * @throws UnsupportedOperationException the runtime is older than Java 22, or its FFM API is not usable here
     */
    public static Foreign foreign() {
        if (Runtime.version().feature() < FIRST_FFM_RELEASE) {
            throw new UnsupportedOperationException("the FFM API needs Java " + FIRST_FFM_RELEASE + "+, running "
                    + Runtime.version().feature());
        }
        try {
            return new Foreign();
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw ffmUnavailable(e);
        }
    }

    /** The refusal for an FFM set-up that failed (the cause of a reflective call's wrapper, if it has one). */
    public static UnsupportedOperationException ffmUnavailable(Exception e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        return new UnsupportedOperationException("FFM unavailable: " + cause);
    }

    /**
     * The FFM pieces every user needs: downcall handles bound to libc's symbols, the int, byte and address layouts,
     * and int and byte access to native memory. Objects are {@code MemorySegment}s, {@code Arena}s and layouts, typed
     * {@code Object} because the code is compiled for Java 17.
     */
    public static final class Foreign {
        public final Class<?> segmentType;
        public final Object javaInt;
        public final Object javaByte;
        public final Object address;
        public final Object nullSegment;

        private final Object linker;
        private final Object symbols;
        private final Class<?> layoutType;
        private final Method find;
        private final Method describe;
        private final Method downcallHandle;
        private final Object noOptions;
        private final MethodHandle allocate;
        private final MethodHandle getInt;
        private final MethodHandle setInt;
        private final MethodHandle getByte;

        private Foreign() throws ReflectiveOperationException {
            Class<?> linkerType = type("Linker");
            Class<?> valueLayout = type("ValueLayout");
            Class<?> descriptorType = type("FunctionDescriptor");
            Class<?> optionType = type("Linker$Option");
            layoutType = type("MemoryLayout");
            segmentType = type("MemorySegment");
            linker = linkerType.getMethod("nativeLinker").invoke(null);
            symbols = linkerType.getMethod("defaultLookup").invoke(linker);
            find = type("SymbolLookup").getMethod("find", String.class);
            describe = descriptorType.getMethod("of", layoutType, layoutType.arrayType());
            downcallHandle = linkerType.getMethod("downcallHandle", segmentType, descriptorType,
                    optionType.arrayType());
            noOptions = Array.newInstance(optionType, 0);
            javaInt = valueLayout.getField("JAVA_INT").get(null);
            javaByte = valueLayout.getField("JAVA_BYTE").get(null);
            address = valueLayout.getField("ADDRESS").get(null);
            nullSegment = segmentType.getField("NULL").get(null);
            allocate = method("SegmentAllocator", "allocate", long.class);
            getInt = handle(segmentType.getMethod("get", type("ValueLayout$OfInt"), long.class));
            setInt = handle(segmentType.getMethod("set", type("ValueLayout$OfInt"), long.class, int.class));
            getByte = handle(segmentType.getMethod("get", type("ValueLayout$OfByte"), long.class));
        }

        /** {@code java.lang.foreign.<name>}. */
        public static Class<?> type(String name) throws ClassNotFoundException {
            return Class.forName("java.lang.foreign." + name);
        }

        /** A handle on the public method {@code name} of {@code java.lang.foreign.<type>}. */
        public static MethodHandle method(String type, String name, Class<?>... parameters)
                throws ReflectiveOperationException {
            return handle(type(type).getMethod(name, parameters));
        }

        private static MethodHandle handle(Method m) throws IllegalAccessException {
            return MethodHandles.publicLookup().unreflect(m);
        }

        /**
         * A downcall handle on libc's {@code name}, taking and answering the given layouts.
         *
         * @throws NoSuchMethodException libc has no such symbol
         */
        public MethodHandle downcall(String name, Object result, Object... arguments)
                throws ReflectiveOperationException {
            Optional<?> symbol = (Optional<?>) find.invoke(symbols, name);
            if (symbol.isEmpty()) {
                throw new NoSuchMethodException("libc has no " + name);
            }
            Object layouts = Array.newInstance(layoutType, arguments.length);
            for (int k = 0; k < arguments.length; k++) {
                Array.set(layouts, k, arguments[k]);
            }
            return (MethodHandle) downcallHandle.invoke(linker, symbol.get(), describe.invoke(null, result, layouts),
                    noOptions);
        }

        /** Zeroed native memory of {@code bytes} from {@code arena}. */
        public Object allocate(Object arena, long bytes) throws Throwable {
            return allocate.invoke(arena, bytes);
        }

        public int getInt(Object segment, long offset) throws Throwable {
            return (int) getInt.invoke(segment, javaInt, offset);
        }

        public void setInt(Object segment, long offset, int value) throws Throwable {
            setInt.invoke(segment, javaInt, offset, value);
        }

        public byte getByte(Object segment, long offset) throws Throwable {
            return (byte) getByte.invoke(segment, javaByte, offset);
        }
    }
}
