package io.p2sgw.cli.support;

/** {@code -o json|table}, as az. */
public enum OutputFormat {
    json, table
}
