package dev.tandem.core.fs;

import java.nio.file.FileSystemException;

/** Thrown when the file a descriptor was opened on is not the regular file that was checked (a FIFO, a swap). */
public final class NotRegularFileException extends FileSystemException {
    private static final long serialVersionUID = 1L;

    public NotRegularFileException(String file, String reason) {
        super(file, null, reason);
    }
}
