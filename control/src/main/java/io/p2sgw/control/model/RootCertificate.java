package io.p2sgw.control.model;

/** A trusted root (or intermediate) certificate: Base-64 DER on one line (azure-p2s.md §2.3). */
public record RootCertificate(String name, String publicCertData) {}
