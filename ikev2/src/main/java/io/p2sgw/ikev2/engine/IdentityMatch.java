package io.p2sgw.ikev2.engine;

import io.p2sgw.ikev2.wire.IdPayload;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import javax.security.auth.x500.X500Principal;

/**
 * Whether a certificate contains an IKE identity (RFC 7296 §3.5, RFC 4945 §3.1; ikev2.md §1.9, pitfall §10.12): a DN
 * must equal the subject; an FQDN, e-mail or IP address must be a subjectAltName (dNSName, rfc822Name, iPAddress).
 */
final class IdentityMatch {
    private static final int SAN_RFC822 = 1;
    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;

    private IdentityMatch() {}

    static boolean certificateContains(X509Certificate cert, IdPayload id) {
        byte[] data = id.data();
        try {
            return switch (id.idType()) {
                case IdPayload.ID_DER_ASN1_DN -> new X500Principal(data).equals(cert.getSubjectX500Principal());
                case IdPayload.ID_FQDN -> hasSan(cert, SAN_DNS, new String(data, StandardCharsets.US_ASCII));
                case IdPayload.ID_RFC822_ADDR -> hasSan(cert, SAN_RFC822, new String(data, StandardCharsets.US_ASCII));
                case IdPayload.ID_IPV4_ADDR, IdPayload.ID_IPV6_ADDR -> hasIp(cert, data);
                default -> false;
            };
        } catch (IllegalArgumentException e) {
            // Not a parsable DN.
            return false;
        }
    }

    private static boolean hasSan(X509Certificate cert, int type, String value) {
        for (List<?> san : sans(cert)) {
            if ((Integer) san.get(0) == type && value.equalsIgnoreCase(String.valueOf(san.get(1)))) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasIp(X509Certificate cert, byte[] address) {
        if (address.length != 4 && address.length != 16) {
            return false;
        }
        for (List<?> san : sans(cert)) {
            if ((Integer) san.get(0) == SAN_IP) {
                try {
                    if (Arrays.equals(InetAddress.getByName(String.valueOf(san.get(1))).getAddress(), address)) {
                        return true;
                    }
                } catch (UnknownHostException e) {
                    // An unparsable SAN matches nothing.
                }
            }
        }
        return false;
    }

    private static Collection<List<?>> sans(X509Certificate cert) {
        try {
            Collection<List<?>> s = cert.getSubjectAlternativeNames();
            return s == null ? List.of() : s;
        } catch (CertificateParsingException e) {
            return List.of();
        }
    }
}
