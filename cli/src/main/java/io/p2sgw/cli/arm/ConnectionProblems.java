package io.p2sgw.cli.arm;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * Turns a failed connection into a sentence that says what to do. The JDK's own messages ("PKIX path building
 * failed: ...", a bare "ConnectException") are accurate but do not tell an operator that the fix for a p2sgw
 * server is usually {@code --ca-file} with the CA the server created on first start.
 */
final class ConnectionProblems {
    /** Bound on the cause chain walked; causes are few, this only guards against a cycle. */
    private static final int MAX_CAUSES = 16;

    private ConnectionProblems() {
    }

    /** An {@link ArmException} (status 0: no answer) for a request to {@code target} that failed with {@code e}. */
    static ArmException of(URI target, IOException e) {
        String where = target.getScheme() + "://" + target.getAuthority();
        if (has(e, CertPathBuilderException.class) || has(e, CertPathValidatorException.class)
                || has(e, CertificateException.class)) {
            return new ArmException(0, "UntrustedServerCertificate", "the TLS certificate of " + where
                    + " is not trusted: pass --ca-file with the CA that issued it (a p2sgw server creates one on first"
                    + " start: <data-dir>/pki/ca.pem), or set it once with 'p2sgw login --ca-file'");
        }
        if (has(e, SSLHandshakeException.class) || has(e, SSLException.class)) {
            return new ArmException(0, "TlsHandshakeFailed", "TLS with " + where + " failed: " + message(e)
                    + " (is the endpoint https:// and the port the API's?)");
        }
        if (has(e, HttpConnectTimeoutException.class)) {
            return new ArmException(0, "ConnectionTimedOut", "no connection to " + where + " (timed out)");
        }
        if (has(e, HttpTimeoutException.class)) {
            return new ArmException(0, "RequestTimedOut", where + " did not answer in time");
        }
        if (has(e, UnknownHostException.class)) {
            return new ArmException(0, "UnknownHost", "cannot resolve the host of " + where);
        }
        if (has(e, ConnectException.class)) {
            return new ArmException(0, "ConnectionRefused", "cannot connect to " + where
                    + ": connection refused (is the server running, and is this its API port?)");
        }
        return new ArmException(0, "ConnectionFailed", "cannot reach " + where + ": " + message(e));
    }

    private static boolean has(Throwable e, Class<? extends Throwable> type) {
        Throwable t = e;
        for (int i = 0; t != null && i < MAX_CAUSES; i++, t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String message(Throwable e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
