package io.p2sgw.dataplane.spi;

/** Why the core refused a client; protocols map these to their own codes. */
public enum RefusalReason {
    /** No gateway snapshot, or this tunnel type is not enabled. */
    NOT_CONFIGURED,
    /** The chain does not lead to a trusted root or intermediate of the gateway. */
    UNTRUSTED,
    /** The client certificate (or one in its chain) is outside its validity dates. */
    EXPIRED,
    /** The client certificate lacks the Client Authentication EKU (1.3.6.1.5.5.7.3.2). */
    NO_CLIENT_AUTH_EKU,
    /** The client certificate's thumbprint is in vpnClientRevokedCertificates. */
    REVOKED,
    /** The SKU's concurrent-session cap for this tunnel type is reached. */
    LIMIT_REACHED,
    /** No free address in this protocol's part of the pool. */
    POOL_EXHAUSTED,
    /**
     * A {@linkplain GatewayCore#readmit re-admission} whose certificate (by thumbprint) or tunnel type is not the
     * session's: reauthentication keeps a client's session, it does not hand it to another client.
     */
    NOT_SAME_CLIENT
}
