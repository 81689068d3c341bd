package io.p2sgw.dataplane.spi;

/** The core's answer to an {@link AdmissionRequest}. */
public sealed interface Admission {
    /** The client may connect; the handle carries its pool address and what to push. */
    record Admitted(SessionHandle handle) implements Admission {}

    /**
     * The client is refused.
     *
     * @param reason one of {@link RefusalReason}, for protocol codes (AUTH_FAILED, IKE notify, SSTP status)
     * @param detail the sentence for the log, naming the thumbprint/CN but never key material
     */
    record Refused(RefusalReason reason, String detail) implements Admission {}
}
