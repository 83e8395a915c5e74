package dev.tandem.hub;

/** Returns the hub's version, from the jar manifest ({@code dev} when run from classes). */
public final class HubVersion {
    private HubVersion() {}

    public static String get() {
        String v = HubVersion.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
