package org.liso.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

/** How file-system errors become statuses: what the file system says about the file, not about the server. */
class FileLookupErrorsTest {

    @Test
    void outOfDescriptorsIsAServerConditionNotAMissingFile() {
        // The reasons the JDK gives for EMFILE and ENFILE (strerror).
        assertThat(FileLookup.fromIo(new FileSystemException("/r/a", null, "Too many open files")).status())
                .isEqualTo(503);
        assertThat(FileLookup.fromIo(new FileSystemException("/r/a", null, "Too many open files in system"))
                .status()).isEqualTo(503);
    }

    @Test
    void fileErrorsKeepTheirStatuses() {
        assertThat(FileLookup.fromIo(new NoSuchFileException("/r/a")).status()).isEqualTo(404);
        assertThat(FileLookup.fromIo(new AccessDeniedException("/r/a")).status()).isEqualTo(403);
        assertThat(FileLookup.fromIo(new FileSystemException("/r/a", null, "File name too long")).status())
                .isEqualTo(404);
        assertThat(FileLookup.fromIo(new FileSystemException("/r/a", null, "Too many levels of symbolic links"))
                .status()).isEqualTo(403);
    }
}
