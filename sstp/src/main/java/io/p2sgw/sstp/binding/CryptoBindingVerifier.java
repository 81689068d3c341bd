package io.p2sgw.sstp.binding;

import io.p2sgw.sstp.wire.AttributeId;
import io.p2sgw.sstp.wire.ControlMessage;
import io.p2sgw.sstp.wire.CryptoBindingAttribute;
import io.p2sgw.sstp.wire.SstpException;
import io.p2sgw.sstp.wire.SstpStatus;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;

/**
 * Checks the client's CALL_CONNECTED against what this connection offered ([MS-SSTP] 3.3.5.2.3, sstp.md §3.4): the
 * nonce we sent, a hash protocol we offered, the hash of the certificate this TLS session presented, and the Compound
 * MAC under one of the allowed HLAK layouts (tried in order; first match wins). Any failure aborts the call with
 * CRYPTO_BINDING / VALUE_NOT_SUPPORTED, as accel-ppp and sorz do; a malformed attribute with the status its parse gave.
 *
 * <p>Holds no key: the MSK is passed to {@link #verify} and the HLAKs built from it are dropped after the call.
 */
public final class CryptoBindingVerifier {
    private final byte[] nonce;
    private final int offeredHashes;
    private final ServerCertificateHashes certificate;
    private final List<HlakLayout> layouts;

    /**
     * @param nonce the 32-byte nonce sent in CALL_CONNECT_ACK
     * @param offeredHashes the bitmask sent in CALL_CONNECT_ACK
     * @param layouts the HLAK layouts to accept, in the order to try them
     */
    public CryptoBindingVerifier(byte[] nonce, int offeredHashes, ServerCertificateHashes certificate,
            List<HlakLayout> layouts) {
        if (nonce.length != CryptoBindingAttribute.NONCE_LENGTH || layouts.isEmpty()) {
            throw new IllegalArgumentException("a 32-byte nonce and at least one HLAK layout are needed");
        }
        this.nonce = nonce.clone();
        this.offeredHashes = offeredHashes;
        this.certificate = certificate;
        this.layouts = List.copyOf(layouts);
    }

    /** The layouts a server accepts unless configured otherwise: the spec's, then Debian bookworm's. */
    public static List<HlakLayout> defaultLayouts() {
        return List.of(HlakLayout.MSK_FIRST_32, HlakLayout.MSK_PPPD_249);
    }

    /**
     * @param callConnected the whole CALL_CONNECTED packet as received (header included)
     * @param msk the MSK of the PPP authentication (64 bytes for EAP-TLS)
     */
    public BindingVerdict verify(byte[] callConnected, byte[] msk) {
        CryptoBindingAttribute binding;
        try {
            binding = CryptoBindingAttribute.of(ControlMessage.parse(callConnected, 0, callConnected.length));
        } catch (SstpException e) {
            return new BindingVerdict.Refused(e.attribute(), e.status(), e.getMessage());
        }
        if (callConnected.length != CryptoBindingAttribute.CALL_CONNECTED_LENGTH) {
            return refused("CALL_CONNECTED of " + callConnected.length + " bytes");
        }
        HashProtocol hash = HashProtocol.ofCode(binding.hashProtocol()).orElse(null);
        if (hash == null || (offeredHashes & hash.code()) == 0) {
            return refused("hash protocol " + binding.hashProtocol() + " was not offered (" + offeredHashes + ")");
        }
        if (!MessageDigest.isEqual(nonce, binding.nonce())) {
            return refused("nonce differs from the one sent");
        }
        if (!MessageDigest.isEqual(certificate.field(hash), binding.certHash())) {
            return refused(hash + " certificate hash is not this session's certificate (TLS intercepted?)");
        }
        for (HlakLayout layout : layouts) {
            byte[] hlak = layout.hlak(msk);
            byte[] expected = CompoundMac.compute(hash, hlak, callConnected);
            Arrays.fill(hlak, (byte) 0);
            if (MessageDigest.isEqual(expected, binding.compoundMac())) {
                return new BindingVerdict.Verified(hash, layout);
            }
        }
        return refused(hash + " Compound MAC matches none of " + layouts);
    }

    private static BindingVerdict refused(String reason) {
        return new BindingVerdict.Refused(AttributeId.CRYPTO_BINDING, SstpStatus.VALUE_NOT_SUPPORTED, reason);
    }
}
