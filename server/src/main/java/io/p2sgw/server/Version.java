package io.p2sgw.server;

/** The version from the jar manifest, or "dev" when running from classes. */
final class Version {
    private Version() {}

    static String current() {
        String v = P2sgwServer.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
