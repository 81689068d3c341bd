package io.p2sgw.cli.pki;

import io.p2sgw.pki.Certificates;
import io.p2sgw.pki.KeyAndChain;
import io.p2sgw.pki.Keys;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.cert.X509Certificate;

/** The progress lines the create commands print on stderr: what was made, and where its key went. No key material. */
final class CreatedSummary {
    private CreatedSummary() {
    }

    static void print(PrintWriter err, KeyAndChain created, Path keyFile, boolean encrypted) {
        X509Certificate c = created.certificate();
        err.println("Created '" + Certificates.commonName(c) + "' (" + Keys.describe(c.getPublicKey()) + ", "
                + c.getSigAlgName() + "), valid until " + c.getNotAfter().toInstant()
                + ", thumbprint " + Certificates.thumbprint(c));
        err.println("Wrote " + keyFile + " (private key, mode 0600" + (encrypted ? ", encrypted" : ", NOT encrypted") + ")");
    }
}
