package dev.tandem.hub;

import java.nio.file.Path;

/**
 * A hub in its own JVM for the durability test: starts a {@link TestHub} in the folder given as the only
 * argument, prints {@code ready PORT} and runs until killed.
 */
public final class MemoryHubProcess {
    private MemoryHubProcess() {}

    public static void main(String[] args) throws InterruptedException {
        TestHub hub = TestHub.start(Path.of(args[0]), "[memory]\nhost = \"box\"\n", null);
        System.out.println("ready " + hub.port());
        System.out.flush();
        Thread.currentThread().join();
    }
}
