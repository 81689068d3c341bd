package io.p2sgw.pki.profile;

import io.p2sgw.pki.Certificates;
import io.p2sgw.pki.Keys;
import io.p2sgw.pki.Pem;
import io.p2sgw.pki.PkiException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills the placeholders of an Azure-shaped OpenVPN profile (azure-p2s.md §3.4): {@code $CLIENTCERTIFICATE}
 * inside {@code <cert>} and {@code $PRIVATEKEY} inside {@code <key>} — what users otherwise do by hand
 * from {@code openssl pkcs12 -in file.pfx -nodes}.
 */
public final class OvpnProfiles {
    public static final String CERT_PLACEHOLDER = "$CLIENTCERTIFICATE";
    public static final String KEY_PLACEHOLDER = "$PRIVATEKEY";

    /** A placeholder is replaced only where it stands on its own line (inside the inline blocks), not in comments. */
    private static final Pattern CERT_LINE = Pattern.compile("(?m)^[ \\t]*" + Pattern.quote(CERT_PLACEHOLDER) + "[ \\t]*$");
    private static final Pattern KEY_LINE = Pattern.compile("(?m)^[ \\t]*" + Pattern.quote(KEY_PLACEHOLDER) + "[ \\t]*$");

    private OvpnProfiles() {
    }

    /**
     * @param certChainPem the client certificate first, optionally followed by intermediates
     * @param keyPem       the client's unencrypted private key
     * @throws PkiException if a placeholder is missing, the PEM is not what it should be, or the key
     *                      does not belong to the certificate
     */
    public static String fill(String template, String certChainPem, String keyPem) {
        if (!CERT_LINE.matcher(template).find() || !KEY_LINE.matcher(template).find()) {
            throw new PkiException("the profile has no " + CERT_PLACEHOLDER + "/" + KEY_PLACEHOLDER
                    + " placeholders (was it filled already?)");
        }
        List<X509Certificate> chain = Pem.readCertificates(certChainPem);
        if (chain.isEmpty()) {
            throw new PkiException("the client certificate PEM holds no -----BEGIN CERTIFICATE----- block");
        }
        PrivateKey key = Pem.readPrivateKey(keyPem, Optional.empty());
        X509Certificate leaf = chain.getFirst();
        if (!Keys.matches(key, leaf.getPublicKey())) {
            throw new PkiException("the private key does not match the client certificate '"
                    + Certificates.commonName(leaf) + "' (thumbprint " + Certificates.thumbprint(leaf) + ")");
        }
        // Re-encode rather than paste the user's text: it drops bag attributes and comments that
        // `openssl pkcs12 -nodes` writes, and normalises line ends.
        String certs = Pem.certificatesToPem(chain).strip();
        String keyText = Pem.privateKeyToPem(key).strip();
        String withCert = CERT_LINE.matcher(template).replaceAll(Matcher.quoteReplacement(certs));
        return KEY_LINE.matcher(withCert).replaceAll(Matcher.quoteReplacement(keyText));
    }
}
