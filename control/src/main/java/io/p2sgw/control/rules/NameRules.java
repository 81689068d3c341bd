package io.p2sgw.control.rules;

import io.p2sgw.control.ArmException;
import java.util.regex.Pattern;

/**
 * ARM naming rules (azure-p2s.md §1.2, resource-name-rules.md): alphanumerics, underscores, periods
 * and hyphens; start with an alphanumeric; end with an alphanumeric or underscore.
 */
public final class NameRules {
    private static final Pattern NETWORK_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9_])?");
    /** Resource groups also allow parentheses and must not end with a period (UNCONFIRMED in the spec). */
    private static final Pattern GROUP_NAME = Pattern.compile("[-\\w._()]*[-\\w_()]");

    public static final int GATEWAY_MAX = 80;
    public static final int VNET_MIN = 2;
    public static final int VNET_MAX = 64;
    public static final int SUBNET_MAX = 80;
    public static final int PUBLIC_IP_MAX = 80;
    public static final int CERTIFICATE_MAX = 80;
    public static final int RESOURCE_GROUP_MAX = 90;
    /** Subscriptions are free-form namespaces for us; a GUID is 36 characters. */
    public static final int SUBSCRIPTION_MAX = 64;
    private static final Pattern SUBSCRIPTION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

    private NameRules() {}

    public static boolean isValid(String name, int min, int max) {
        return name != null && name.length() >= min && name.length() <= max && NETWORK_NAME.matcher(name).matches();
    }

    /** ARM's 400 InvalidResourceName with its usual explanation. */
    public static void requireValid(String name, int min, int max) {
        if (!isValid(name, min, max)) {
            throw ArmException.badRequest("InvalidResourceName", "Resource name " + name + " is invalid. The name can be"
                    + (min == 1 ? " up to " + max : " between " + min + " and " + max)
                    + " characters long. It must begin with a word character, and it must end with a word character or"
                    + " with '_'. The name may contain word characters or '.', '-', '_'.");
        }
    }

    public static void requireValidResourceGroup(String name) {
        if (name == null || name.isEmpty() || name.length() > RESOURCE_GROUP_MAX || !GROUP_NAME.matcher(name).matches()) {
            throw ArmException.badRequest("InvalidResourceGroupName", "Resource group name '" + name + "' is invalid."
                    + " It can be up to 90 characters long, may contain letters, digits, underscores, hyphens, periods"
                    + " and parentheses, and must not end with a period.");
        }
    }

    public static void requireValidSubscription(String name) {
        if (name == null || name.isEmpty() || name.length() > SUBSCRIPTION_MAX || !SUBSCRIPTION.matcher(name).matches()) {
            throw ArmException.badRequest("InvalidSubscriptionId", "The provided subscription identifier '" + name
                    + "' is malformed or invalid. p2sgw accepts up to " + SUBSCRIPTION_MAX
                    + " letters, digits, '.', '-' and '_' (a GUID is typical).");
        }
    }
}
