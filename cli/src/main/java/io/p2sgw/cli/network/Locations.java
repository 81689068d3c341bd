package io.p2sgw.cli.network;

import io.p2sgw.cli.arm.ArmClient;
import io.p2sgw.cli.arm.ArmException;
import io.p2sgw.cli.arm.ArmPaths;
import io.p2sgw.cli.support.UsageException;
import java.util.Optional;

/** Helpers for arguments az fills in from the resource group. */
final class Locations {
    private Locations() {
    }

    /** {@code --location}, else the resource group's location (az's rule). */
    static String resolve(ArmClient client, String resourceGroup, String location) {
        if (location != null && !location.isBlank()) {
            return location;
        }
        try {
            return Optional.of(client.get(client.paths().resourceGroup(resourceGroup)).path("location").asText(""))
                    .filter(s -> !s.isEmpty())
                    .orElseThrow(() -> new UsageException("resource group " + resourceGroup + " has no location; pass --location"));
        } catch (ArmException e) {
            if (e.status() == 404) {
                throw new UsageException("resource group " + resourceGroup + " not found; create it or pass --location");
            }
            throw e;
        }
    }

    /** A collection in one resource group, or subscription-wide when no group is given. */
    static String collection(ArmClient client, String resourceGroup, String type) {
        ArmPaths p = client.paths();
        return resourceGroup == null ? p.subscriptionPath() + ArmPaths.NETWORK + type : p.networkCollection(resourceGroup, type);
    }
}
