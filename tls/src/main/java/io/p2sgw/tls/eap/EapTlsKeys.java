package io.p2sgw.tls.eap;

import io.p2sgw.tls.TlsException;
import io.p2sgw.tls.TlsPipe;
import java.util.Arrays;

/**
 * The EAP-TLS keys: MSK and EMSK, 64 bytes each (RFC 5216 §2.3, RFC 9190 §2.3). SSTP's crypto binding takes its HLAK
 * from the MSK (sstp.md §3.2–§3.4); IKEv2 signs with the MSK in its AUTH payload (RFC 7296 §2.16). Never logged:
 * {@link #toString()} names no byte.
 */
public record EapTlsKeys(byte[] msk, byte[] emsk) {
    /** MSK and EMSK are each 64 bytes. */
    public static final int KEY_LENGTH = 64;
    /** TLS 1.2: Key_Material = TLS-PRF-128(master_secret, "client EAP encryption", client.random || server.random). */
    public static final String TLS12_LABEL = "client EAP encryption";
    /** TLS 1.3: Key_Material = TLS-Exporter("EXPORTER_EAP_TLS_Key_Material", Type-Code, 128) (RFC 9190 §2.3). */
    public static final String TLS13_LABEL = "EXPORTER_EAP_TLS_Key_Material";
    /** RFC 9190 §2.3: the context is the EAP Type-Code, 0x0D. */
    public static final byte[] TLS13_CONTEXT = {EapPacket.TYPE_TLS};

    public EapTlsKeys {
        if (msk.length != KEY_LENGTH || emsk.length != KEY_LENGTH) {
            throw new IllegalArgumentException("MSK and EMSK are 64 bytes each");
        }
        msk = msk.clone();
        emsk = emsk.clone();
    }

    /** From 128 bytes of key material: MSK = the first 64, EMSK = the next 64. */
    static EapTlsKeys fromKeyMaterial(byte[] material) {
        EapTlsKeys keys = new EapTlsKeys(Arrays.copyOfRange(material, 0, KEY_LENGTH),
                Arrays.copyOfRange(material, KEY_LENGTH, 2 * KEY_LENGTH));
        Arrays.fill(material, (byte) 0);
        return keys;
    }

    /**
     * Exports the key material of a completed handshake with the label and context of its TLS version: 128 bytes
     * asked at once, because the TLS 1.3 exporter's output depends on the length asked for (sstp.md §3.5).
     */
    public static EapTlsKeys export(TlsPipe tls) throws TlsException {
        byte[] material = "TLSv1.3".equals(tls.protocol())
                ? tls.exportKeyingMaterial(TLS13_LABEL, TLS13_CONTEXT, 2 * KEY_LENGTH)
                : tls.exportKeyingMaterial(TLS12_LABEL, null, 2 * KEY_LENGTH);
        return fromKeyMaterial(material);
    }

    @Override
    public byte[] msk() {
        return msk.clone();
    }

    @Override
    public byte[] emsk() {
        return emsk.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EapTlsKeys k && java.security.MessageDigest.isEqual(k.msk, msk)
                && java.security.MessageDigest.isEqual(k.emsk, emsk);
    }

    @Override
    public int hashCode() {
        return 0; // keys are not map keys; no hash derived from secret bytes
    }

    @Override
    public String toString() {
        return "EapTlsKeys[msk and emsk redacted]";
    }
}
