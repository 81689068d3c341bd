package io.p2sgw.dataplane.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.p2sgw.testkit.pki.TestPki;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The snapshot's change check ({@link GatewaySnapshot#sameDesiredState}, what the control plane's publisher uses to
 * skip no-op applies) sees a change in every component. The publisher used to compare a hand-picked list of fields
 * and missed {@code instanceIndex} and {@code gatewayName}; a field added later must not be missed either, so this
 * test walks the record's components and fails on one it does not know how to change.
 */
class GatewaySnapshotTest {
    static GatewaySnapshot base() {
        return new GatewaySnapshot(1, "/subscriptions/s/gw", "gw", List.of("172.16.201.0/24"), Set.of(TunnelType.OPENVPN),
                List.of(), Set.of(), List.of("10.1.0.0/16"), List.of(), new ConnectionLimits(128, 500), true, 0, 1,
                Map.of(TunnelType.OPENVPN, SecretBytes.of(new byte[] {1, 2, 3})), "gw.example");
    }

    /** A value of component {@code name} that differs from the base snapshot's. */
    static Object changed(String name) throws Exception {
        return switch (name) {
            case "gatewayId" -> "/subscriptions/s/other";
            case "gatewayName" -> "other";
            case "addressPool" -> List.of("172.16.202.0/24");
            case "tunnelTypes" -> Set.of(TunnelType.OPENVPN, TunnelType.IKEV2);
            case "trustedCertificates" -> {
                yield List.of(new TrustedCertificate("Other", "00".repeat(20), TestPki.ec("Other").caCertificate()));
            }
            case "revokedThumbprints" -> Set.of("aa".repeat(20));
            case "routes" -> List.of("10.2.0.0/16");
            case "dnsServers" -> List.of("10.1.0.4");
            case "limits" -> new ConnectionLimits(128, 250);
            case "activeActive" -> false;
            case "instanceIndex" -> 1;
            case "instanceCount" -> 2;
            case "tunnelSecrets" -> Map.of(TunnelType.OPENVPN, SecretBytes.of(new byte[] {1, 2, 4}));
            case "serverName" -> "other.example";
            default -> {
                fail("GatewaySnapshot has a new component '" + name + "': give it a changed value here");
                yield null;
            }
        };
    }

    @Test
    void aChangeInAnyComponentButTheVersionIsAChange() throws Exception {
        GatewaySnapshot base = base();
        RecordComponent[] components = GatewaySnapshot.class.getRecordComponents();
        Constructor<GatewaySnapshot> canonical = GatewaySnapshot.class.getDeclaredConstructor(
                Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
        for (int i = 0; i < components.length; i++) {
            String name = components[i].getName();
            if (name.equals("version")) {
                continue;
            }
            Object[] args = new Object[components.length];
            for (int j = 0; j < components.length; j++) {
                args[j] = components[j].getAccessor().invoke(base);
            }
            args[i] = changed(name);
            if (name.equals("instanceIndex")) {
                args[indexOf(components, "instanceCount")] = 2; // index 1 exists only with two instances
            }
            GatewaySnapshot other = canonical.newInstance(args);
            assertFalse(base.sameDesiredState(other), "a change of " + name + " went unseen");
            assertFalse(other.sameDesiredState(base), "a change of " + name + " went unseen");
        }
    }

    private static int indexOf(RecordComponent[] components, String name) {
        for (int i = 0; i < components.length; i++) {
            if (components[i].getName().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException(name);
    }

    @Test
    void onlyTheVersionDiffersMeansTheSameState() {
        GatewaySnapshot a = base();
        GatewaySnapshot b = base().withVersion(2);
        assertNotEquals(a, b);
        assertTrue(a.sameDesiredState(b));
        // Secrets compare by their bytes, not by array identity.
        assertEquals(a, base());
    }

    @Test
    void secretsNeverShowInTheSnapshotsText() {
        assertFalse(base().toString().contains("[1, 2, 3]"));
        assertTrue(base().toString().contains("redacted"), base().toString());
    }

    @Test
    void aSecondInstanceNeedsAnActiveActiveGateway() {
        GatewaySnapshot b = base();
        assertThrows(IllegalArgumentException.class, () -> new GatewaySnapshot(1, b.gatewayId(), b.gatewayName(), b.addressPool(),
                b.tunnelTypes(), b.trustedCertificates(), b.revokedThumbprints(), b.routes(), b.dnsServers(), b.limits(), false, 0,
                2, b.tunnelSecrets(), b.serverName()));
        assertThrows(IllegalArgumentException.class, () -> new GatewaySnapshot(1, b.gatewayId(), b.gatewayName(), b.addressPool(),
                b.tunnelTypes(), b.trustedCertificates(), b.revokedThumbprints(), b.routes(), b.dnsServers(), b.limits(), true, 1,
                1, b.tunnelSecrets(), b.serverName()));
    }
}
