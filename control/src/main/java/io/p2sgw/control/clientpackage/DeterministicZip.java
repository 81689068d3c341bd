package io.p2sgw.control.clientpackage;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDateTime;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A zip whose bytes depend only on its entries: fixed order (as given), a fixed DOS timestamp set with
 * {@link ZipEntry#setTimeLocal} (no time zone, no extended-timestamp extra field), fixed compression.
 */
final class DeterministicZip {
    /** The earliest DOS date; the same for every entry of every package. */
    static final LocalDateTime ENTRY_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

    private DeterministicZip() {
    }

    static byte[] write(List<PackageFile> files) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.setLevel(Deflater.DEFAULT_COMPRESSION);
            for (PackageFile f : files) {
                ZipEntry e = new ZipEntry(f.path());
                e.setTimeLocal(ENTRY_TIME);
                zip.putNextEntry(e);
                zip.write(f.content());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing a zip to memory failed", e);
        }
        return out.toByteArray();
    }
}
