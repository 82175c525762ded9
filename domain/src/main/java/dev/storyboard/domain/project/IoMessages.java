package dev.storyboard.domain.project;

import dev.storyboard.domain.text.Printable;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;

/** What an I/O failure means, in words, without Java class names or quoted file content. */
public final class IoMessages {
    private IoMessages() {
    }

    public static String describe(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or folder";
        }
        if (e instanceof NotDirectoryException) {
            return "not a folder";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "already exists";
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return Printable.of(fse.getReason(), 120);
        }
        String m = e.getMessage();
        if (m != null && m.toLowerCase(Locale.ROOT).contains("no space left")) {
            return "the disk is full";
        }
        return m == null ? "input/output error" : Printable.of(m, 120);
    }
}
