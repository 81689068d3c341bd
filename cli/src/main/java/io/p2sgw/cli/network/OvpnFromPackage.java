package io.p2sgw.cli.network;

import io.p2sgw.cli.support.UsageException;
import io.p2sgw.pki.KeyAndChain;
import io.p2sgw.pki.Pem;
import io.p2sgw.pki.toolkit.CertificateFiles;
import io.p2sgw.pki.PkiException;
import io.p2sgw.pki.profile.OvpnProfiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Makes a ready-to-import .ovpn from the client package: takes {@code OpenVPN/vpnconfig.ovpn} (azure-p2s.md §3.2,
 * §3.4) and fills in the client certificate and key from a local .pfx. This happens on the user's machine only:
 * the private key is never sent to the server.
 */
final class OvpnFromPackage {
    /** Path of the OpenVPN profile inside the package (azure-p2s.md §3.2). */
    static final String PROFILE_ENTRY = "OpenVPN/vpnconfig.ovpn";
    /** A profile is a few KB; refuse to inflate more than this from one entry. */
    static final int MAX_PROFILE_BYTES = 1024 * 1024;
    /** Bound on entries scanned, against a hostile zip. */
    static final int MAX_ENTRIES = 1000;

    private OvpnFromPackage() {
    }

    /** The profile template from the zip bytes. */
    static String profileTemplate(byte[] zip) {
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry e;
            for (int n = 0; (e = in.getNextEntry()) != null; n++) {
                if (n >= MAX_ENTRIES) {
                    break;
                }
                if (e.getName().equalsIgnoreCase(PROFILE_ENTRY)) {
                    return new String(readBounded(in), StandardCharsets.UTF_8);
                }
            }
        } catch (IOException ex) {
            throw new UsageException("the client package is not a readable zip: " + ex.getMessage());
        }
        throw new UsageException("the client package has no " + PROFILE_ENTRY + " (is OpenVPN enabled on the gateway?)");
    }

    private static byte[] readBounded(InputStream in) throws IOException {
        byte[] b = in.readNBytes(MAX_PROFILE_BYTES + 1);
        if (b.length > MAX_PROFILE_BYTES) {
            throw new UsageException(PROFILE_ENTRY + " is larger than " + MAX_PROFILE_BYTES + " bytes");
        }
        return b;
    }

    /**
     * Reads the client's certificate chain and key from a .pfx or from PEM files (see
     * {@link CertificateFiles#readKeyAndChain}) before anything is asked of the server, so that a wrong password
     * or a key that does not match is reported at once. The password array is wiped.
     */
    static KeyAndChain readCredentials(Path certificate, Optional<Path> key, char[] password) {
        try {
            return CertificateFiles.readKeyAndChain(certificate, key, password.length > 0 ? Optional.of(password) : Optional.empty());
        } catch (PkiException e) {
            throw new UsageException(e.getMessage());
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /** Fills the package's profile template with the credentials; writes the result with mode 0600. */
    static void write(byte[] zip, KeyAndChain credentials, Path target) {
        String template = profileTemplate(zip);
        String filled;
        try {
            filled = OvpnProfiles.fill(template, Pem.certificatesToPem(credentials.chain()), Pem.privateKeyToPem(credentials.key()));
        } catch (PkiException e) {
            throw new UsageException(e.getMessage());
        }
        writePrivate(target, filled);
    }

    /** The file holds a private key: create it 0600 before writing, then move it into place. */
    static void writePrivate(Path target, String content) {
        try {
            Path dir = target.toAbsolutePath().getParent();
            Path tmp = Files.createTempFile(dir, ".p2sgw-", ".ovpn.tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                Files.writeString(tmp, content);
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }
}
