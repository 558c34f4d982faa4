package org.liso;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Product identity shared by every layer (the Server header, log headers, --version). */
public final class Liso {
    public static final String NAME = "liso";
    public static final String VERSION = readVersion();
    /** The value of the {@code Server} response header (RFC 9110 §10.2.4). */
    public static final String SERVER = NAME + "/" + VERSION;

    private Liso() {
    }

    private static String readVersion() {
        try (InputStream in = Liso.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "dev";
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "dev");
            return v.startsWith("${") ? "dev" : v;
        } catch (IOException e) {
            return "dev";
        }
    }
}
