package io.p2sgw.pki;

import java.security.InvalidAlgorithmParameterException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Key types for certificates we issue. RSA 2048 is the default because the docs' PowerShell recipe
 * uses it ({@code -KeyLength 2048}, azure-p2s.md §5.1) and it is the most compatible across Windows,
 * Apple, strongSwan and OpenVPN (ikev2.md §9.6).
 */
public enum KeyType {
    RSA2048("rsa2048", "RSA", 2048, "SHA256withRSA"),
    RSA4096("rsa4096", "RSA", 4096, "SHA256withRSA"),
    EC256("ec256", "EC", 256, "SHA256withECDSA"),
    EC384("ec384", "EC", 384, "SHA384withECDSA");

    private final String cliName;
    private final String algorithm;
    private final int bits;
    private final String signatureAlgorithm;

    KeyType(String cliName, String algorithm, int bits, String signatureAlgorithm) {
        this.cliName = cliName;
        this.algorithm = algorithm;
        this.bits = bits;
        this.signatureAlgorithm = signatureAlgorithm;
    }

    public String cliName() {
        return cliName;
    }

    /** The signature algorithm a key of this type signs certificates with. */
    public String signatureAlgorithm() {
        return signatureAlgorithm;
    }

    public static Optional<KeyType> fromCliName(String name) {
        return Arrays.stream(values()).filter(t -> t.cliName.equals(name.toLowerCase(Locale.ROOT))).findFirst();
    }

    public static String cliNames() {
        return Arrays.stream(values()).map(KeyType::cliName).collect(Collectors.joining(", "));
    }

    public KeyPair generate(SecureRandom random) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
            if (algorithm.equals("EC")) {
                g.initialize(new ECGenParameterSpec(bits == 256 ? "secp256r1" : "secp384r1"), random);
            } else {
                g.initialize(bits, random);
            }
            return g.generateKeyPair();
        } catch (NoSuchAlgorithmException | InvalidAlgorithmParameterException e) {
            throw new IllegalStateException(algorithm + " key generation is a standard JCA feature", e);
        }
    }
}
