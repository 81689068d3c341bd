package io.p2sgw.ikev2.crypto;

import io.p2sgw.ikev2.wire.IkeException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import javax.crypto.KeyAgreement;
import javax.crypto.interfaces.DHPublicKey;
import javax.crypto.spec.DHParameterSpec;
import javax.crypto.spec.DHPublicKeySpec;

/** Finite-field DH over the MODP groups (RFC 2409, RFC 3526, RFC 5114) with JCA "DH". */
final class ModpKeyExchange implements KeyExchange {
    /** RFC 2409 §6.2 (group 2); generator 2. */
    static final BigInteger P_1024 = new BigInteger(
            "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD"
                    + "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
                    + "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE65381FFFFFFFFFFFFFFFF", 16);
    /** RFC 3526 §3 (group 14); generator 2. */
    static final BigInteger P_2048 = new BigInteger(
            "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD"
                    + "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
                    + "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F"
                    + "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"
                    + "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510"
                    + "15728E5A8AACAA68FFFFFFFFFFFFFFFF", 16);
    /** RFC 5114 §2.3 (group 24): prime, generator and the 256-bit subgroup order. */
    static final BigInteger P_2048_256 = new BigInteger(
            "87A8E61DB4B6663CFFBBD19C651959998CEEF608660DD0F25D2CEED4435E3B00E00DF8F1D61957D4FAF7DF4561B2AA30"
                    + "16C3D91134096FAA3BF4296D830E9A7C209E0C6497517ABD5A8A9D306BCF67ED91F9E6725B4758C022E0B1EF4275BF7B"
                    + "6C5BFC11D45F9088B941F54EB1E59BB8BC39A0BF12307F5C4FDB70C581B23F76B63ACAE1CAA6B7902D52526735488A0E"
                    + "F13C6D9A51BFA4AB3AD8347796524D8EF6A167B5A41825D967E144E5140564251CCACB83E6B486F6B3CA3F7971506026"
                    + "C0B857F689962856DED4010ABD0BE621C3A3960A54E710C375F26375D7014103A4B54330C198AF126116D2276E11715F"
                    + "693877FAD7EF09CADB094AE91E1A1597", 16);
    static final BigInteger G_2048_256 = new BigInteger(
            "3FB32C9B73134D0B2E77506660EDBD484CA7B18F21EF205407F4793A1A0BA12510DBC15077BE463FFF4FED4AAC0BB555"
                    + "BE3A6C1B0C6B47B1BC3773BF7E8C6F62901228F8C28CBB18A55AE31341000A650196F931C77A57F2DDF463E5E9EC144B"
                    + "777DE62AAAB8A8628AC376D282D6ED3864E67982428EBC831D14348F6F2F9193B5045AF2767164E1DFC967C1FB3F2E55"
                    + "A4BD1BFFE83B9C80D052B985D182EA0ADB2A3B7313D3FE14C8484B1E052588B9B7D2BBD2DF016199ECD06E1557CD0915"
                    + "B3353BBB64E0EC377FD028370DF92B52C7891428CDC67EB6184B523D1DB246C32F63078490F00EF8D647D148D4795451"
                    + "5E2327CFEF98C582664B4C0F6CC41659", 16);
    static final BigInteger Q_2048_256 =
            new BigInteger("8CF83642A709A097B447997640129DA299B1A47D1EB3750BA308B0FE64F5FBD3", 16);
    static final BigInteger TWO = BigInteger.TWO;

    private final DhGroup group;
    private final KeyPair pair;
    private final DHParameterSpec params;

    ModpKeyExchange(DhGroup group, KeyPair pair) {
        this.group = group;
        this.pair = pair;
        this.params = params(group);
    }

    static DHParameterSpec params(DhGroup group) {
        return switch (group) {
            case MODP_1024 -> new DHParameterSpec(P_1024, TWO);
            case MODP_2048 -> new DHParameterSpec(P_2048, TWO);
            case MODP_2048_256 -> new DHParameterSpec(P_2048_256, G_2048_256);
            default -> throw new IllegalArgumentException(group + " is not a MODP group");
        };
    }

    static ModpKeyExchange generate(DhGroup group, SecureRandom random) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("DH");
            g.initialize(params(group), random);
            return new ModpKeyExchange(group, g.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("DH unavailable", e);
        }
    }

    @Override
    public DhGroup group() {
        return group;
    }

    @Override
    public byte[] publicValue() {
        return DhGroup.fixedLength(((DHPublicKey) pair.getPublic()).getY(), group.publicValueLength());
    }

    @Override
    public byte[] sharedSecret(byte[] peer) {
        if (peer.length != group.publicValueLength()) {
            throw IkeException.syntax(group + " KE data of " + peer.length + " bytes");
        }
        BigInteger y = new BigInteger(1, peer);
        BigInteger p = params.getP();
        // RFC 6989 §2.1: 1 < y < p-1; for the subgroup group 24 also y^q = 1 (§2.2).
        if (y.compareTo(BigInteger.ONE) <= 0 || y.compareTo(p.subtract(BigInteger.ONE)) >= 0
                || group == DhGroup.MODP_2048_256 && !y.modPow(Q_2048_256, p).equals(BigInteger.ONE)) {
            throw IkeException.syntax(group + " public value out of range");
        }
        try {
            PublicKey peerKey = KeyFactory.getInstance("DH").generatePublic(new DHPublicKeySpec(y, p, params.getG()));
            KeyAgreement ka = KeyAgreement.getInstance("DH");
            ka.init(pair.getPrivate());
            ka.doPhase(peerKey, true);
            // RFC 7296 §2.14: g^ir is padded with zeros to the prime's length; pad whatever the provider returns.
            return DhGroup.fixedLength(new BigInteger(1, ka.generateSecret()), group.publicValueLength());
        } catch (GeneralSecurityException e) {
            throw IkeException.syntax(group + " key agreement failed: " + e.getMessage());
        }
    }
}
