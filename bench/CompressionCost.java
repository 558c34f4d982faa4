import java.io.ByteArrayOutputStream;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * What on-the-fly compression costs and gives, per coding and level, on text a static site serves: gzip from
 * java.util.zip (no dependency) against zstd-jni (JNI; on the class path only for this measurement, reached through
 * reflection so that this file compiles without it). Prints one markdown row per (input, coding, level): compressed
 * size as % of the input, and MB/s of input compressed (median of 15 rounds after 10 of warm-up).
 * Usage: java -cp zstd-jni.jar bench/CompressionCost.java FILE...
 */
public class CompressionCost {
    interface Codec {
        byte[] compress(byte[] in) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        System.out.println("| input | bytes | coding | level | compressed (% of input) | MB/s |");
        System.out.println("|---|---|---|---|---|---|");
        Method zstd = null;
        try {
            zstd = Class.forName("com.github.luben.zstd.Zstd").getMethod("compress", byte[].class, int.class);
        } catch (ClassNotFoundException e) {
            System.err.println("zstd-jni not on the class path: gzip only");
        }
        for (String name : args) {
            byte[] in = Files.readAllBytes(Path.of(name));
            for (int level : new int[] {1, 6, 9}) {
                row(name, in, "gzip", level, b -> gzip(b, level));
            }
            if (zstd != null) {
                Method z = zstd;
                for (int level : new int[] {3, 9, 19}) {
                    row(name, in, "zstd", level, b -> (byte[]) z.invoke(null, b, level));
                }
            }
        }
    }

    static void row(String name, byte[] in, String coding, int level, Codec c) throws Exception {
        int out = 0;
        for (int i = 0; i < 10; i++) {
            out = c.compress(in).length;
        }
        List<Double> rates = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            long t0 = System.nanoTime();
            c.compress(in);
            rates.add(in.length / 1e6 / ((System.nanoTime() - t0) / 1e9));
        }
        rates.sort(null);
        System.out.printf("| %s | %d | %s | %d | %.1f | %.0f |%n", Path.of(name).getFileName(), in.length, coding, level,
                100.0 * out / in.length, rates.get(rates.size() / 2));
    }

    static byte[] gzip(byte[] in, int level) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length / 3 + 64);
        try (GZIPOutputStream z = new GZIPOutputStream(out, 8192) {
            {
                def.setLevel(level);
            }
        }) {
            z.write(in);
        }
        return out.toByteArray();
    }
}
