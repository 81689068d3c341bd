package io.p2sgw.pki.toolkit;

import io.p2sgw.pki.PkiException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes the toolkit's output files. Files holding private keys are created with mode 0600 before any
 * byte is written (never chmod-ed afterwards), so the key is never readable by others, not even briefly.
 * Existing files are kept unless overwriting was asked for: a second {@code root create} into the same
 * directory must not silently replace the root every client chains to.
 */
public final class OutputFiles {
    /** Whether a file may hold secrets (a key, a .pfx). */
    public enum Sensitivity { PUBLIC, SECRET }

    private OutputFiles() {
    }

    /** Creates the directory (and parents) if needed. */
    public static void createDirectory(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new PkiException("cannot create the directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Fails before anything is written if one of the files exists and overwriting was not asked for. */
    public static void checkAbsent(boolean overwrite, Path... files) {
        if (overwrite) {
            return;
        }
        for (Path f : files) {
            if (Files.exists(f)) {
                throw new PkiException(f + " already exists; choose another --out directory or pass --force to replace it");
            }
        }
    }

    public static void write(Path target, byte[] content, Sensitivity sensitivity) {
        String mode = sensitivity == Sensitivity.SECRET ? "rw-------" : "rw-r--r--";
        Path dir = target.toAbsolutePath().getParent();
        try {
            Path tmp = Files.createTempFile(dir, ".p2sgw-", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode)));
            try {
                Files.write(tmp, content);
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (FileAlreadyExistsException e) {
            throw new PkiException(target + " already exists", e);
        } catch (IOException e) {
            throw new PkiException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    public static void write(Path target, String content, Sensitivity sensitivity) {
        write(target, content.getBytes(java.nio.charset.StandardCharsets.UTF_8), sensitivity);
    }
}
