package io.p2sgw.api.arm;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2sgw.control.ArmException;
import org.junit.jupiter.api.Test;

/** ARM's refusal of an api-version the resource type does not support (issue 13); through HTTP in api-tests' ApiErrorPathsTest. */
class ApiVersionsTest {
    private static final ApiVersions.Target VNETS = ApiVersions.Target.network("virtualNetworks", () -> "eastus");
    private static final ApiVersions.Target GROUPS = ApiVersions.Target.resources("resourceGroups");

    @Test
    void theVersionsP2sgwImplementsAreAnswered() {
        for (String v : ApiVersions.NETWORK) {
            assertDoesNotThrow(() -> ApiVersions.check(v, VNETS));
        }
        for (String v : ApiVersions.RESOURCES) {
            assertDoesNotThrow(() -> ApiVersions.check(v, GROUPS));
        }
        assertDoesNotThrow(() -> ApiVersions.check("2024-05-01", GROUPS), "one version serves a whole walkthrough");
    }

    @Test
    void anUnknownDateForANetworkTypeIsNoRegisteredProviderFound() {
        ArmException e = assertThrows(ArmException.class, () -> ApiVersions.check("2024-05-01-preview", VNETS));
        assertEquals(400, e.status());
        assertEquals("NoRegisteredProviderFound", e.code());
        assertEquals("No registered resource provider found for location 'eastus' and API version '2024-05-01-preview'"
                + " for type 'virtualNetworks'. The supported api-versions are '2024-05-01, 2025-03-01'.", e.getMessage());
    }

    @Test
    void anUnknownDateForResourceGroupsOrANonDateIsInvalidApiVersionParameter() {
        ArmException groups = assertThrows(ArmException.class, () -> ApiVersions.check("1999-01-01", GROUPS));
        assertEquals("InvalidApiVersionParameter", groups.code());
        assertEquals("The api-version '1999-01-01' is invalid. The supported versions are '2025-04-01,2024-05-01'.",
                groups.getMessage());
        ArmException junk = assertThrows(ArmException.class, () -> ApiVersions.check("latest", VNETS));
        assertEquals("InvalidApiVersionParameter", junk.code());
        assertTrue(junk.getMessage().contains("'2025-03-01,2024-05-01'"), junk.getMessage());
    }

    @Test
    void theLocationIsLookedUpOnlyToRefuse() {
        ApiVersions.Target noLookup = ApiVersions.Target.network("virtualNetworks", () -> {
            throw new AssertionError("looked up for an accepted version");
        });
        assertDoesNotThrow(() -> ApiVersions.check("2024-05-01", noLookup));
    }

    @Test
    void aLongValueIsNotEchoedWhole() {
        String message = assertThrows(ArmException.class, () -> ApiVersions.check("9".repeat(10_000), VNETS)).getMessage();
        assertTrue(message.length() < ApiVersions.MAX_ECHOED_CHARS + 200, message.length() + " chars");
    }
}
