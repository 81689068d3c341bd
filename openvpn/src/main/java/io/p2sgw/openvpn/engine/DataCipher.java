package io.p2sgw.openvpn.engine;

import java.util.List;
import java.util.Optional;

/** The AEAD data-channel ciphers we offer, in our preference order (openvpn.md §1.5, §8.2). */
public enum DataCipher {
    AES_256_GCM("AES-256-GCM", 32, "AES/GCM/NoPadding", "AES"),
    AES_128_GCM("AES-128-GCM", 16, "AES/GCM/NoPadding", "AES"),
    CHACHA20_POLY1305("CHACHA20-POLY1305", 32, "ChaCha20-Poly1305", "ChaCha20");

    private final String openVpnName;
    private final int keyLength;
    private final String transformation;
    private final String keyAlgorithm;

    DataCipher(String openVpnName, int keyLength, String transformation, String keyAlgorithm) {
        this.openVpnName = openVpnName;
        this.keyLength = keyLength;
        this.transformation = transformation;
        this.keyAlgorithm = keyAlgorithm;
    }

    public String openVpnName() {
        return openVpnName;
    }

    public int keyLength() {
        return keyLength;
    }

    String transformation() {
        return transformation;
    }

    String keyAlgorithm() {
        return keyAlgorithm;
    }

    public static Optional<DataCipher> byName(String name) {
        for (DataCipher c : values()) {
            if (c.openVpnName.equalsIgnoreCase(name)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /**
     * NCP (openvpn.md §8.2, ssl_ncp.c ncp_get_best_cipher): the first of our ciphers the client lists in
     * IV_CIPHERS; for clients without IV_CIPHERS, IV_NCP >= 2 means AES-GCM; last, the OCC {@code cipher}.
     */
    public static Optional<DataCipher> negotiate(List<String> ivCiphers, int ivNcp, Optional<String> occCipher) {
        if (!ivCiphers.isEmpty()) {
            for (DataCipher c : values()) {
                for (String offered : ivCiphers) {
                    if (c.openVpnName.equalsIgnoreCase(offered.strip())) {
                        return Optional.of(c);
                    }
                }
            }
            return Optional.empty();
        }
        if (ivNcp >= 2) {
            return Optional.of(AES_256_GCM);
        }
        return occCipher.flatMap(DataCipher::byName);
    }
}
