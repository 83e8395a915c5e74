package dev.tandem.hub.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LoopbackGuardTest {
    private static final int PORT = 8443;

    @Test
    void dashboardWritesComeFromTheHubsOwnOriginOnItsPort() {
        LoopbackGuard guard = new LoopbackGuard("127.0.0.1");
        assertTrue(guard.ownOrigin(Optional.of("http://127.0.0.1:8443"), PORT));
        assertTrue(guard.ownOrigin(Optional.of("http://localhost:8443"), PORT));
        assertTrue(guard.ownOrigin(Optional.of("https://localhost:8443"), PORT));
        assertFalse(guard.ownOrigin(Optional.empty(), PORT), "a write needs an Origin");
        assertFalse(guard.ownOrigin(Optional.of("http://127.0.0.1:8444"), PORT), "another port is another origin");
        assertFalse(guard.ownOrigin(Optional.of("http://evil.test:8443"), PORT));
        assertFalse(guard.ownOrigin(Optional.of("null"), PORT));
        assertFalse(guard.ownOrigin(Optional.of("file://127.0.0.1:8443"), PORT));
        assertFalse(guard.ownOrigin(Optional.of("http://127.0.0.1"), PORT), "port 80 is not the hub's");
    }

    @Test
    void fleetHubReachedByItsCertificatesNameAcceptsWritesFromThatOriginOnly() {
        LoopbackGuard guard = new LoopbackGuard("0.0.0.0", Set.of("desktop.lan", "192.0.2.10"));
        assertTrue(guard.ownOrigin(Optional.of("https://desktop.lan:8443"), PORT));
        assertTrue(guard.ownOrigin(Optional.of("https://DESKTOP.lan:8443"), PORT));
        assertTrue(guard.ownOrigin(Optional.of("https://192.0.2.10:8443"), PORT));
        assertFalse(guard.ownOrigin(Optional.of("https://desktop.lan.evil.test:8443"), PORT));
        assertFalse(guard.ownOrigin(Optional.of("https://other.lan:8443"), PORT));
        assertFalse(guard.ownOrigin(Optional.of("https://desktop.lan:8443/path"), PORT));
    }
}
