package io.p2sgw.ikev2.wire;

import java.util.Optional;

/**
 * IKEv2 Notify Message Types we send, act on or must recognise (RFC 7296 §3.10.1, RFC 7383, RFC 7427; ikev2.md
 * §1.6). Values below 16384 are errors, the rest status. Unknown values stay plain ints in {@link NotifyPayload}.
 */
public enum NotifyType {
    UNSUPPORTED_CRITICAL_PAYLOAD(1),
    INVALID_IKE_SPI(4),
    INVALID_MAJOR_VERSION(5),
    INVALID_SYNTAX(7),
    INVALID_MESSAGE_ID(9),
    INVALID_SPI(11),
    NO_PROPOSAL_CHOSEN(14),
    INVALID_KE_PAYLOAD(17),
    AUTHENTICATION_FAILED(24),
    SINGLE_PAIR_REQUIRED(34),
    NO_ADDITIONAL_SAS(35),
    INTERNAL_ADDRESS_FAILURE(36),
    FAILED_CP_REQUIRED(37),
    TS_UNACCEPTABLE(38),
    INVALID_SELECTORS(39),
    TEMPORARY_FAILURE(43),
    CHILD_SA_NOT_FOUND(44),
    INITIAL_CONTACT(16384),
    SET_WINDOW_SIZE(16385),
    ADDITIONAL_TS_POSSIBLE(16386),
    IPCOMP_SUPPORTED(16387),
    NAT_DETECTION_SOURCE_IP(16388),
    NAT_DETECTION_DESTINATION_IP(16389),
    COOKIE(16390),
    USE_TRANSPORT_MODE(16391),
    HTTP_CERT_LOOKUP_SUPPORTED(16392),
    REKEY_SA(16393),
    ESP_TFC_PADDING_NOT_SUPPORTED(16394),
    NON_FIRST_FRAGMENTS_ALSO(16395),
    MOBIKE_SUPPORTED(16396),
    ADDITIONAL_IP4_ADDRESS(16397),
    ADDITIONAL_IP6_ADDRESS(16398),
    NO_ADDITIONAL_ADDRESSES(16399),
    UPDATE_SA_ADDRESSES(16400),
    COOKIE2(16401),
    NO_NATS_ALLOWED(16402),
    AUTH_LIFETIME(16403),
    MULTIPLE_AUTH_SUPPORTED(16404),
    ANOTHER_AUTH_FOLLOWS(16405),
    REDIRECT_SUPPORTED(16406),
    REDIRECT(16407),
    REDIRECTED_FROM(16408),
    EAP_ONLY_AUTHENTICATION(16417),
    CHILDLESS_IKEV2_SUPPORTED(16418),
    IKEV2_MESSAGE_ID_SYNC_SUPPORTED(16420),
    IKEV2_FRAGMENTATION_SUPPORTED(16430),
    SIGNATURE_HASH_ALGORITHMS(16431);

    /** The first status type; everything below is an error type (RFC 7296 §3.10.1). */
    public static final int FIRST_STATUS_TYPE = 16384;

    private static final NotifyType[] BY_CODE_CACHE = values();

    private final int code;

    NotifyType(int code) {
        this.code = code;
    }

    /** The 16-bit wire value. */
    public int code() {
        return code;
    }

    public boolean isError() {
        return code < FIRST_STATUS_TYPE;
    }

    public static Optional<NotifyType> of(int code) {
        for (NotifyType t : BY_CODE_CACHE) {
            if (t.code == code) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
