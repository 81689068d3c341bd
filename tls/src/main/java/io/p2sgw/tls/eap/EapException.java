package io.p2sgw.tls.eap;

/** A packet the EAP or EAP-TLS codec refuses; carries the {@link EapError} (with its EAP code). */
public final class EapException extends Exception {
    private final transient EapError error;

    public EapException(EapError error) {
        super(error.toString());
        this.error = error;
    }

    static EapException malformed(String detail) {
        return new EapException(EapError.of(EapError.Reason.MALFORMED_PACKET, detail));
    }

    public EapError error() {
        return error;
    }
}
