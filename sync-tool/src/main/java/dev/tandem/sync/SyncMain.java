package dev.tandem.sync;

/** Entry point of the sync tool jar. */
public final class SyncMain {
    private SyncMain() {}

    public static void main(String[] args) {
        System.err.println("tandem: the sync tool is not built yet");
        System.exit(2);
    }
}
