package io.p2sgw.tls;

import java.util.Optional;

/** A TLS failure; carries the TLS alert description (RFC 8446 §6) when the engine reported one. */
public final class TlsException extends Exception {
    private final String alert;

    public TlsException(String message, Throwable cause) {
        super(message, cause);
        this.alert = alertOf(cause);
    }

    /** A failure whose alert name the caller knows (Bouncy Castle's TlsFatalAlert carries it as a code). */
    public TlsException(String message, String alert, Throwable cause) {
        super(message, cause);
        this.alert = alert != null ? alert : alertOf(cause);
    }

    public TlsException(String message) {
        super(message);
        this.alert = null;
    }

    /** The TLS alert name (e.g. "handshake_failure", "bad_certificate") when known. */
    public Optional<String> alert() {
        return Optional.ofNullable(alert);
    }

    private static String alertOf(Throwable cause) {
        // JSSE puts "(alert_name)" at the start of its SSLException messages.
        for (Throwable t = cause; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && m.startsWith("(")) {
                int end = m.indexOf(')');
                if (end > 1) {
                    return m.substring(1, end);
                }
            }
        }
        return null;
    }
}
