package org.liso.files;

import java.nio.file.Path;
import org.liso.http.HttpException;

/**
 * Prints the status a lookup gives: {@code LookupProbe ROOT RAWPATH [list]}. Run as an unprivileged child process by
 * {@link FileLookupTest} so that permission bits apply even when the suite runs as root.
 */
final class LookupProbe {
    private LookupProbe() {
    }

    public static void main(String[] args) throws Exception {
        boolean list = args.length > 2 && args[2].equals("list");
        try {
            new FileLookup(Path.of(args[0]).toRealPath(), false, list).find(PathResolver.parse(args[1]));
            System.out.println(200);
        } catch (HttpException e) {
            System.out.println(e.status());
        }
    }
}
