package io.p2sgw.control.clientpackage;

/**
 * Builds the VPN client configuration package zip (azure-p2s.md §3.2 layout, plus p2sgw's extra
 * profiles). Pure: input in, zip bytes out; the same input gives byte-identical output (golden tests).
 */
public interface ClientPackageBuilder {
    byte[] buildZip(ClientPackageInput input);
}
