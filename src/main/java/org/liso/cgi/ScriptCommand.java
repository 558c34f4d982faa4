package org.liso.cgi;

import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * What to start for one request: the program and its arguments, its working directory and exactly its environment
 * (RFC 3875 §7.2: the meta-variables, not the server's own). Liso's own spawn takes it as it is; the JDK's gets a
 * {@link ProcessBuilder} made only then ({@link #builder}), since making one copies the server's whole environment
 * before it is cleared and refilled (a per-request cost the own spawn has no use for).
 */
record ScriptCommand(List<String> command, File directory, Map<String, String> environment) {

    /** A builder for the JDK's spawn, its environment exactly {@link #environment}. */
    ProcessBuilder builder() {
        ProcessBuilder b = new ProcessBuilder(command).directory(directory);
        Map<String, String> env = b.environment();
        env.clear();
        env.putAll(environment);
        return b;
    }

    /** Starts it by the JDK's spawn. */
    Process startByJdk() throws IOException {
        return builder().start();
    }
}
