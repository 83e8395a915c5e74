package dev.tandem.core.fs;

import java.nio.file.FileSystemException;

/** Thrown when a file is larger than a read allows; the message names the file, its size and the limit. */
public final class FileTooLargeException extends FileSystemException {
    private static final long serialVersionUID = 1L;

    public FileTooLargeException(String file, long size, long maxBytes) {
        super(file, null, size + " bytes, larger than the limit of " + maxBytes + " bytes");
    }
}
