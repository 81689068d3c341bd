package io.p2sgw.cli.support;

import java.util.List;

/** Table layouts shared by several commands. */
public final class Columns {
    private Columns() {
    }

    public static final List<Column> RESOURCE = List.of(
            Column.of("Name", "/name"),
            Column.of("Location", "/location"),
            Column.of("ProvisioningState", "/properties/provisioningState"));
}
