package io.p2sgw.control.model;

/** A revoked client certificate: friendly name + SHA-1 thumbprint, 40 lower-case hex (azure-p2s.md §2.4). */
public record RevokedCertificate(String name, String thumbprint) {}
