package io.p2sgw.tls;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import java.security.Security;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Which JCA providers do the gateway's cryptography: TLS handshakes and records (JSSE asks JCA for every
 * signature, key exchange, digest, MAC and cipher), tls-auth/tls-crypt HMACs and the data channel's AEAD. TLS itself
 * stays JSSE (DESIGN.md); only the primitives under it change.
 *
 * <p>{@link Choice#FAST} puts two providers before the JDK's:
 * <ul>
 *   <li>the Amazon Corretto Crypto Provider (AWS-LC behind JCA) for RSA, AES-GCM, HMAC and SHA. The server's share
 *   of a full handshake is dominated by its RSA-2048 PSS signature (TLS 1.3 CertificateVerify, RFC 8446 §4.4.3):
 *   about 1.1 ms in the JDK's SunRsaSign on this project's machine, 0.27 ms in AWS-LC, 0.26 ms in the OpenSSL the
 *   stock OpenVPN server uses. AES-GCM on a 1400-byte data packet: 660 ns (JDK) against 500 ns (AWS-LC).</li>
 *   <li>{@link BouncyCastleX25519} for the X25519 key exchange (about 0.1 against 0.25 ms).</li>
 * </ul>
 * What neither offers (X.509, PKCS12, ChaCha20-Poly1305) stays with the JDK's providers.
 *
 * <p>The choice is made once, first thing: JSSE notes at class initialisation which signature schemes and groups
 * the installed providers offer.
 */
public final class CryptoProviders {
    /** The operator's choice ({@code p2sgw server --crypto}). */
    public enum Choice {
        /** AWS-LC (where its bundled library loads: Linux x86-64) and Bouncy Castle's X25519 before the JDK's. */
        FAST,
        /** Only the JDK's own providers. */
        JDK;

        public static Choice parse(String s) {
            try {
                return valueOf(s.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("crypto must be fast or jdk (got '" + s + "')", e);
            }
        }
    }

    /**
     * What was installed.
     *
     * @param asked what the operator chose
     * @param awsLcInUse whether AWS-LC is the first provider for RSA and AES-GCM now
     * @param description one line for the log: the providers and their versions, or why AWS-LC is not used
     */
    public record Outcome(Choice asked, boolean awsLcInUse, String description) {
        /** The operator asked for the fast providers and AWS-LC could not be loaded. */
        public boolean fellBack() {
            return asked == Choice.FAST && !awsLcInUse;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(CryptoProviders.class);

    private CryptoProviders() {}

    /** Installs (or removes) the fast providers as {@code choice} says; idempotent. */
    public static synchronized Outcome use(Choice choice) {
        String accpName = AmazonCorrettoCryptoProvider.PROVIDER_NAME;
        if (choice == Choice.JDK) {
            Security.removeProvider(accpName);
            Security.removeProvider(BouncyCastleX25519.NAME);
            return log(new Outcome(choice, false, "JDK providers only (" + Security.getProviders()[0].getName() + " first)"));
        }
        if (Security.getProvider(BouncyCastleX25519.NAME) == null) {
            Security.insertProviderAt(new BouncyCastleX25519(), 1);
        }
        String x25519 = "Bouncy Castle for X25519";
        Outcome outcome;
        try {
            AmazonCorrettoCryptoProvider accp = AmazonCorrettoCryptoProvider.INSTANCE;
            Throwable loadingError = accp.getLoadingError();
            if (loadingError != null) {
                outcome = new Outcome(choice, false, x25519 + "; JDK providers for the rest: AWS-LC did not load: " + loadingError);
            } else {
                // Throws if AWS-LC's power-on self tests failed; then it is not installed.
                accp.assertHealthy();
                AmazonCorrettoCryptoProvider.install();
                outcome = new Outcome(choice, true, accp.getAwsLcVersionStr() + " (" + accpName + " " + accp.getVersionStr()
                        + ") for RSA, AES-GCM, HMAC, SHA; " + x25519 + "; JDK providers behind them");
            }
        } catch (RuntimeException | LinkageError e) {
            // A platform without the bundled library (not Linux x86-64): the JDK's providers do the rest.
            outcome = new Outcome(choice, false, x25519 + "; JDK providers for the rest: AWS-LC is not available here: " + e);
        }
        return log(outcome);
    }

    private static Outcome log(Outcome o) {
        LOG.atLevel(o.fellBack() ? Level.WARN : Level.INFO).log("crypto: {}", o.description());
        return o;
    }
}
