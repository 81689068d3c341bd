package io.p2sgw.ikev2.esp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.p2sgw.ikev2.crypto.ChildKeys;
import io.p2sgw.ikev2.crypto.EncryptionAlgorithm;
import io.p2sgw.ikev2.crypto.IntegrityAlgorithm;
import io.p2sgw.ikev2.engine.ChildSa;
import io.p2sgw.ikev2.wire.TrafficSelector;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The pair built from the engine's ChildSa uses the right keys in each direction (ikev2.md §3.3: "i" keys are the
 * client→gateway SA, our inbound): a client built from the same ChildSa with the roles swapped talks to it both ways,
 * also after the engine wiped its copy of the keys.
 */
class EspSaTest {
    private static final int OUR_SPI = 0xc1000001;
    private static final int CLIENT_SPI = 0xc2000002;

    @ParameterizedTest
    @EnumSource(EspSuite.class)
    void directionsUseTheirOwnKeys(EspSuite suite) {
        ChildKeys keys = new ChildKeys(EspSuite.counting(0x10, suite.encryption.keyMaterialLength()),
                EspSuite.counting(0x50, suite.integrity.map(IntegrityAlgorithm::keyLength).orElse(0)),
                EspSuite.counting(0x90, suite.encryption.keyMaterialLength()),
                EspSuite.counting(0xd0, suite.integrity.map(IntegrityAlgorithm::keyLength).orElse(0)));
        ChildSa child = new ChildSa(OUR_SPI, CLIENT_SPI, suite.encryption, suite.integrity, keys,
                List.of(TrafficSelector.anyIpv4()), List.of(TrafficSelector.anyIpv4()));
        EspSa gateway = EspSa.of(child);
        OutboundEspSa clientOut = new OutboundEspSa(OUR_SPI, suite.encryption, suite.integrity,
                keys.encryptionInitiator().clone(), keys.integrityInitiator().clone());
        InboundEspSa clientIn = new InboundEspSa(CLIENT_SPI, suite.encryption, suite.integrity,
                keys.encryptionResponder().clone(), keys.integrityResponder().clone(), 64);
        keys.wipe();

        byte[] up = EspSuite.ipv4(100, 1);
        byte[] packet = InboundEspSaTest.seal(clientOut, up);
        int n = gateway.inbound().open(packet, 0, packet.length);
        assertEquals(100, n);
        assertArrayEquals(up, Arrays.copyOfRange(packet, gateway.inbound().payloadOffset(),
                gateway.inbound().payloadOffset() + n));

        byte[] down = EspSuite.ipv4(120, 2);
        packet = InboundEspSaTest.seal(gateway.outbound(), down);
        assertEquals(CLIENT_SPI, EspInUdp.spi(packet, 0));
        assertEquals(120, clientIn.open(packet, 0, packet.length));

        // The gateway's own packets do not open on its inbound half (other SPI, other keys).
        packet = InboundEspSaTest.seal(gateway.outbound(), down);
        assertEquals(EspDrop.BAD_SPI, InboundEspSaTest.drop(gateway.inbound(), packet));
    }

    @ParameterizedTest
    @EnumSource(EspSuite.class)
    void refusesKeysOfTheWrongLength(EspSuite suite) {
        byte[] integ = new byte[suite.integrity.map(IntegrityAlgorithm::keyLength).orElse(0)];
        assertThrows(IllegalArgumentException.class, () -> new OutboundEspSa(1, suite.encryption, suite.integrity,
                new byte[suite.encryption.keyMaterialLength() - 1], integ));
        if (suite.integrity.isPresent()) {
            assertThrows(IllegalArgumentException.class, () -> new InboundEspSa(1, suite.encryption, suite.integrity,
                    suite.encryptionKey(), new byte[integ.length + 1], 64));
            assertThrows(IllegalArgumentException.class, () -> new InboundEspSa(1, suite.encryption, Optional.empty(),
                    suite.encryptionKey(), new byte[0], 64));
        } else {
            assertThrows(IllegalArgumentException.class, () -> new InboundEspSa(1, suite.encryption,
                    Optional.of(IntegrityAlgorithm.HMAC_SHA1_96), suite.encryptionKey(), new byte[20], 64));
        }
        assertThrows(IllegalArgumentException.class, () -> new InboundEspSa(1, suite.encryption, suite.integrity,
                suite.encryptionKey(), integ, 100), "the window is a multiple of 64");
    }

    @ParameterizedTest
    @EnumSource(EncryptionAlgorithm.class)
    void everyEncryptionTheSelectorCanChooseIsSupported(EncryptionAlgorithm e) {
        // ChildPolicy lists EncryptionAlgorithm and IntegrityAlgorithm values only, so covering them all here means
        // the selector can never agree to a suite the data path cannot run.
        for (IntegrityAlgorithm i : IntegrityAlgorithm.values()) {
            Optional<IntegrityAlgorithm> integ = e.isAead() ? Optional.empty() : Optional.of(i);
            new OutboundEspSa(1, e, integ, new byte[e.keyMaterialLength()], new byte[integ.map(
                    IntegrityAlgorithm::keyLength).orElse(0)]);
        }
    }
}
