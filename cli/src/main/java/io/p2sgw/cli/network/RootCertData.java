package io.p2sgw.cli.network;

import io.p2sgw.cli.support.UsageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * {@code --root-cert-data} / {@code --public-cert-data}: either the one-line Base-64 data itself, or a path to
 * a {@code .cer}/{@code .pem} file, which is cleaned to what Azure wants: Base-64 DER as one continuous line,
 * without the BEGIN/END lines (azure-p2s.md §2.3). A DER file is Base-64 encoded.
 */
final class RootCertData {
    /** Certificates are a few KB; a larger "certificate" file is a mistake, not something to upload. */
    static final long MAX_FILE_BYTES = 64 * 1024;
    private static final String BEGIN = "-----BEGIN CERTIFICATE-----";
    private static final String END = "-----END CERTIFICATE-----";

    private RootCertData() {
    }

    static String fromArgument(String arg) {
        Path p;
        try {
            p = Path.of(arg);
        } catch (RuntimeException e) {
            return arg;
        }
        if (arg.length() > 4096 || !Files.isRegularFile(p)) {
            // Not a file: the data as given. The server judges it (and explains what is wrong).
            return arg;
        }
        try {
            if (Files.size(p) > MAX_FILE_BYTES) {
                throw new UsageException("certificate file " + arg + " is larger than " + MAX_FILE_BYTES + " bytes");
            }
            return clean(Files.readAllBytes(p));
        } catch (IOException e) {
            throw new UsageException("cannot read certificate file " + arg + ": " + e.getMessage());
        }
    }

    static String clean(byte[] content) {
        // DER starts with SEQUENCE (0x30); a Base-64 or PEM file starts with a printable character.
        if (content.length > 0 && content[0] == 0x30) {
            return Base64.getEncoder().encodeToString(content);
        }
        String text = new String(content, StandardCharsets.US_ASCII);
        int b = text.indexOf(BEGIN);
        if (b >= 0) {
            int e = text.indexOf(END, b);
            if (e < 0) {
                throw new UsageException("certificate file has BEGIN but no END line");
            }
            text = text.substring(b + BEGIN.length(), e);
        }
        return text.replaceAll("\\s+", "");
    }
}
