package dev.tandem.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Hub#closeInOrder}, the order in which the hub's parts are closed when it stops. */
class HubCloseOrderTest {
    @Test
    void everyStepRunsAndEachFailureIsReportedOnTheFirst() {
        List<String> ran = new ArrayList<>();
        IllegalStateException server = new IllegalStateException("server");
        IllegalStateException telemetry = new IllegalStateException("telemetry");
        AssertionError fleet = new AssertionError("fleet");

        IllegalStateException thrown = assertThrows(
                IllegalStateException.class,
                () -> Hub.closeInOrder(List.of(
                        () -> ran.add("tasks"),
                        () -> {
                            ran.add("server");
                            throw server;
                        },
                        () -> ran.add("mcp"),
                        () -> {
                            ran.add("telemetry");
                            throw telemetry;
                        },
                        () -> {
                            ran.add("fleet");
                            throw fleet;
                        })));

        assertEquals(List.of("tasks", "server", "mcp", "telemetry", "fleet"), ran);
        assertSame(server, thrown);
        assertArrayEquals(new Throwable[] {telemetry, fleet}, thrown.getSuppressed());
    }

    @Test
    void nothingIsThrownWhenEveryStepSucceeds() {
        List<String> ran = new ArrayList<>();
        Hub.closeInOrder(List.of(() -> ran.add("a"), () -> ran.add("b")));
        assertEquals(List.of("a", "b"), ran);
    }
}
