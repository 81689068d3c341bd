package io.p2sgw.ikev2.engine;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The gateway's IKE identity: its key, its certificate chain (end entity first, intermediates after, never the root;
 * ikev2.md §1.10) and the FQDNs that are SANs of the certificate; the first is the IDr we use when the client names
 * none of them (ikev2.md §2.3 step 6, §9.6).
 */
public record ServerCredentials(PrivateKey key, List<X509Certificate> chain, List<String> names) {
    public ServerCredentials {
        chain = List.copyOf(chain);
        names = List.copyOf(names);
        if (chain.isEmpty() || names.isEmpty()) {
            throw new IllegalArgumentException("a certificate and a name are needed");
        }
    }
}
