package io.p2sgw.pki.toolkit;

import io.p2sgw.pki.KeyAndChain;
import io.p2sgw.pki.Pem;
import io.p2sgw.pki.Pkcs12;
import io.p2sgw.pki.PkiException;
import io.p2sgw.pki.toolkit.OutputFiles.Sensitivity;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The files of a client certificate, named after its CN:
 * <ul>
 *   <li>{@code NAME.key.pem}: the private key (PKCS#8, encrypted when a key password was given), mode 0600;</li>
 *   <li>{@code NAME.pem}: the certificate followed by its issuers up to the root, the form OpenVPN's
 *       {@code <cert>} and {@code openssl pkcs12 -nodes} use;</li>
 *   <li>{@code NAME.pfx}: key and whole chain, password-protected, mode 0600: the seed requires the chain in
 *       the {@code .pfx} ("include all certificates in the certification path", azure-p2s.md §2.5, §5.1).</li>
 * </ul>
 */
public record ClientFiles(Path key, Path certificate, Path pfx) {
    /** Characters we keep from a CN when naming files; anything else becomes '_'. */
    private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9._@-]");
    /** Longest file base name we derive from a CN. */
    public static final int MAX_BASE_NAME = 64;

    public static ClientFiles in(Path dir, String baseName) {
        return new ClientFiles(dir.resolve(baseName + ".key.pem"), dir.resolve(baseName + ".pem"), dir.resolve(baseName + ".pfx"));
    }

    /** A file name base from a common name: {@code P2SChildCert} stays, {@code Jane Doe/x} becomes {@code Jane_Doe_x}. */
    public static String baseName(String commonName) {
        String s = UNSAFE.matcher(commonName.strip()).replaceAll("_");
        if (s.length() > MAX_BASE_NAME) {
            s = s.substring(0, MAX_BASE_NAME);
        }
        if (s.isEmpty() || s.startsWith(".")) {
            s = "client" + s;
        }
        return s;
    }

    /** Writes the three files; nothing is written if one exists and {@code overwrite} is false. */
    public void write(KeyAndChain client, char[] pfxPassword, Optional<char[]> keyPassword, boolean overwrite) {
        if (pfxPassword.length == 0) {
            throw new PkiException("the .pfx password must not be empty (Windows and macOS ask for it on import)");
        }
        OutputFiles.createDirectory(key.toAbsolutePath().getParent());
        OutputFiles.checkAbsent(overwrite, key, certificate, pfx);
        String keyPem = keyPassword.map(pw -> Pem.privateKeyToPem(client.key(), pw)).orElseGet(() -> Pem.privateKeyToPem(client.key()));
        byte[] pfxBytes = Pkcs12.write(client, pfxPassword, io.p2sgw.pki.Certificates.commonName(client.certificate()));
        OutputFiles.write(key, keyPem, Sensitivity.SECRET);
        OutputFiles.write(certificate, Pem.certificatesToPem(client.chain()), Sensitivity.PUBLIC);
        OutputFiles.write(pfx, pfxBytes, Sensitivity.SECRET);
    }
}
