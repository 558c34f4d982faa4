package org.liso;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.BitSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code org.liso} packages a compiled class refers to, read from its constant pool (JVMS §4.4): class entries,
 * and the field, method and generic signatures whose types appear there, however the source spelled them (an import,
 * a fully-qualified name, a {@code var}). String literals are not references and are left out. What the compiler
 * inlines (a {@code static final} constant of another class) leaves no trace here; ArchitectureTest's import scan
 * covers those that are imported.
 */
final class ClassReferences {
    private static final int MAGIC = 0xCAFEBABE;
    /** An internal name in a class entry or a descriptor: the package part between org/liso/ and a type name. */
    private static final Pattern LISO_TYPE = Pattern.compile("org/liso/([a-z][a-z0-9_]*(?:/[a-z][a-z0-9_]*)*)/[A-Z_$]");

    private ClassReferences() {
    }

    /** Dotted names below org.liso (e.g. {@code transport.tls}) of every package {@code classFile} refers to. */
    static Set<String> packages(InputStream classFile) throws IOException {
        DataInputStream in = new DataInputStream(classFile);
        if (in.readInt() != MAGIC) {
            throw new IOException("not a class file");
        }
        in.readUnsignedShort(); // minor
        in.readUnsignedShort(); // major
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        BitSet literals = new BitSet(count);
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF();
                case 3, 4 -> in.readInt();
                case 5, 6 -> {
                    in.readLong();
                    i++; // 8-byte constants take two entries (JVMS §4.4.5)
                }
                case 7, 16, 19, 20 -> in.readUnsignedShort();
                case 8 -> literals.set(in.readUnsignedShort());
                case 9, 10, 11, 12, 17, 18 -> in.readInt();
                case 15 -> {
                    in.readUnsignedByte();
                    in.readUnsignedShort();
                }
                default -> throw new IOException("unknown constant pool tag " + tag + " at entry " + i);
            }
        }
        Set<String> out = new TreeSet<>();
        for (int i = 1; i < count; i++) {
            if (utf8[i] == null || literals.get(i)) {
                continue;
            }
            Matcher m = LISO_TYPE.matcher(utf8[i]);
            while (m.find()) {
                out.add(m.group(1).replace('/', '.'));
            }
        }
        return out;
    }
}
