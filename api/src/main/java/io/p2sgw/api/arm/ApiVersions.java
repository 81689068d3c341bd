package io.p2sgw.api.arm;

import io.p2sgw.control.ArmException;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The {@code api-version}s p2sgw answers, per resource provider namespace, and ARM's refusal of any other (issue 13).
 * ARM checks the version against the resource type's registration before the provider sees the request: a version
 * that is not a date is {@code InvalidApiVersionParameter}; a date the type does not know is
 * {@code InvalidApiVersionParameter} for Microsoft.Resources (resource groups, subscriptions) and
 * {@code NoRegisteredProviderFound} for a provider's types such as Microsoft.Network/virtualNetworks, both 400 and
 * both naming the supported versions (the wording is ARM's, as quoted in Azure/azure-cli#17545 and #28038).
 *
 * <p>The versions are the ones whose shapes p2sgw implements and that its clients send: Microsoft.Network 2024-05-01
 * (the REST spec azure-p2s.md was read from; the CLI, the portal, curl examples) and 2025-03-01 (what the Azure SDK
 * for Java, azure-resourcemanager-network 2.57, sends). Microsoft.Resources 2025-04-01 is what the SDK's resources
 * client sends; p2sgw also takes 2024-05-01 there so that one api-version serves a whole walkthrough (a resource
 * group is {@code location} and {@code tags} in every version).
 */
public final class ApiVersions {
    /** Newest first. */
    public static final List<String> NETWORK = List.of("2025-03-01", "2024-05-01");
    /** Newest first. */
    public static final List<String> RESOURCES = List.of("2025-04-01", "2024-05-01");
    /** ARM's api-version shape: a date, optionally {@code -preview}; longer values are not echoed whole. */
    private static final Pattern DATE_SHAPED = Pattern.compile("\\d{4}-\\d{2}-\\d{2}(-preview)?");
    static final int MAX_ECHOED_CHARS = 40;

    /**
     * Where a request goes, for the version check: its namespace and, for Microsoft.Network, the type and the location
     * ARM names when it refuses (looked up only then: an accepted request costs no read).
     */
    public record Target(boolean network, String type, Supplier<String> location) {
        public static Target resources(String type) {
            return new Target(false, type, () -> "");
        }

        public static Target network(String type, Supplier<String> location) {
            return new Target(true, type, location);
        }
    }

    private ApiVersions() {
    }

    /** Throws ARM's 400 unless {@code version} is one the target's namespace supports (matched as ARM does, ignoring case). */
    public static void check(String version, Target target) {
        List<String> supported = target.network() ? NETWORK : RESOURCES;
        if (supported.contains(version.toLowerCase(Locale.ROOT))) {
            return;
        }
        String shown = version.length() > MAX_ECHOED_CHARS ? version.substring(0, MAX_ECHOED_CHARS) + "..." : version;
        if (!target.network() || !DATE_SHAPED.matcher(version).matches()) {
            throw ArmException.badRequest("InvalidApiVersionParameter", "The api-version '" + shown
                    + "' is invalid. The supported versions are '" + String.join(",", supported) + "'.");
        }
        throw ArmException.badRequest("NoRegisteredProviderFound", "No registered resource provider found for location '"
                + target.location().get() + "' and API version '" + shown + "' for type '" + target.type()
                + "'. The supported api-versions are '" + String.join(", ", supported.reversed()) + "'.");
    }
}
