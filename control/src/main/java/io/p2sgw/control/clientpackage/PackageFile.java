package io.p2sgw.control.clientpackage;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** One file of the client package: its path inside the zip and its bytes. */
public record PackageFile(String path, byte[] content) {
    public PackageFile {
        Objects.requireNonNull(path, "path");
        content = content.clone();
    }

    static PackageFile text(String path, String text) {
        return new PackageFile(path, text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public byte[] content() {
        return content.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PackageFile f && f.path.equals(path) && java.util.Arrays.equals(f.content, content);
    }

    @Override
    public int hashCode() {
        return path.hashCode() * 31 + java.util.Arrays.hashCode(content);
    }

    @Override
    public String toString() {
        return "PackageFile[" + path + ", " + content.length + " bytes]";
    }
}
