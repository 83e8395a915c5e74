package dev.tandem.sync.engine;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** Turns a file-system failure into the words of a one-line message. */
public final class Failures {
    private Failures() {}

    /**
     * Returns what failed and why: the JDK often gives only the path as the message ({@code AccessDeniedException}),
     * so the reason is named from the exception's type when it has none.
     */
    public static String describe(IOException e) {
        if (!(e instanceof FileSystemException fse)) {
            return String.valueOf(e.getMessage());
        }
        String reason = fse.getReason() != null ? fse.getReason() : reason(fse);
        String file = fse.getFile() == null ? "" : fse.getFile();
        String other = fse.getOtherFile() == null ? "" : " -> " + fse.getOtherFile();
        return file.isEmpty() ? reason : file + other + ": " + reason;
    }

    private static String reason(FileSystemException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "already exists";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof NotDirectoryException) {
            return "not a directory";
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "directory not empty";
        }
        return e.getClass().getSimpleName();
    }
}
