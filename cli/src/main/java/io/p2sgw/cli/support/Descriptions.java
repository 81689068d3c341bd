package io.p2sgw.cli.support;

/** Help texts shared by many commands (constants, so that picocli annotations can use them). */
public final class Descriptions {
    public static final String RESOURCE_GROUP = "Name of the resource group.";
    public static final String NO_WAIT = "Do not wait for the long-running operation to finish (as az's --no-wait).";
    public static final String LOCATION = "Location, e.g. eastus. Default: the resource group's location.";
    public static final String GATEWAY_NAME = "Name of the virtual network gateway.";

    private Descriptions() {}
}
