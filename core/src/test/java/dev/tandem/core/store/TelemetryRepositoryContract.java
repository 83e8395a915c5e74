package dev.tandem.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tandem.core.memory.Owner;
import dev.tandem.core.telemetry.CommandStats;
import dev.tandem.core.telemetry.CommandUse;
import dev.tandem.core.telemetry.Outcome;
import dev.tandem.core.telemetry.Recorded;
import dev.tandem.core.telemetry.RequestEvent;
import dev.tandem.core.telemetry.Sample;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The record of hub requests and of skill uses: the contract every backend keeps. */
abstract class TelemetryRepositoryContract {
    private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");

    @TempDir
    Path dir;

    private StoreBackend backend;

    /** Returns where this run's stores live. */
    abstract StoreBackend backend(Path dir);

    @BeforeEach
    void pickBackend() {
        backend = backend(dir);
    }

    private static RequestEvent event(Instant at, Outcome outcome, Optional<String> target) {
        return new RequestEvent(
                at,
                "codex",
                "codex-mcp-client",
                "0.169.0",
                "s1",
                "tools/call",
                target,
                1234,
                outcome,
                outcome == Outcome.OK ? Optional.empty() : Optional.of("InvalidArgument"),
                42,
                Optional.of("call-1"),
                Optional.of("019a-session"),
                "");
    }

    @Test
    void requestsComeBackOldestFirstWithEveryFieldAndTheHost() {
        try (Store store = backend.open("memory", "laptop")) {
            RequestEvent late = event(T0.plusSeconds(2), Outcome.OK, Optional.of("fs_read"));
            RequestEvent early = event(T0, Outcome.TOOL_ERROR, Optional.empty());
            store.telemetry().insert(List.of(late, early));
            List<Recorded> rows = store.telemetry().between(T0, T0.plusSeconds(10));
            assertEquals(List.of(new Recorded("laptop", early), new Recorded("laptop", late)), rows);
            List<Sample> samples = new ArrayList<>();
            store.telemetry().samples(T0, T0.plusSeconds(10), samples::add);
            assertEquals(List.of(false, true), samples.stream().map(Sample::ok).toList());
            assertEquals(
                    List.of(new Recorded("laptop", early)), store.telemetry().errors(5));
            assertEquals(1, store.telemetry().deleteBefore(T0.plusSeconds(1)));
            assertEquals(
                    List.of(new Recorded("laptop", late)), store.telemetry().between(T0, T0.plusSeconds(10)));
        }
    }

    @Test
    void requestOfAnotherHostIsRecordedUnderThatHostNotTheStores() {
        try (Store store = backend.open("memory", "desktop")) {
            RequestEvent local = event(T0, Outcome.OK, Optional.of("fs_read"));
            RequestEvent enrolled = new RequestEvent(
                    T0.plusSeconds(1),
                    "claude",
                    "claude-code",
                    "2.1.332",
                    "s2",
                    "tools/call",
                    Optional.of("memory_search"),
                    10,
                    Outcome.OK,
                    Optional.empty(),
                    2,
                    Optional.empty(),
                    Optional.empty(),
                    "claude@laptop",
                    "laptop");
            store.telemetry().insert(List.of(local, enrolled));
            assertEquals(
                    List.of("desktop", "laptop"),
                    store.telemetry().between(T0, T0.plusSeconds(10)).stream()
                            .map(Recorded::host)
                            .toList());
        }
    }

    private static RequestEvent on(String host, Instant at, Outcome outcome) {
        RequestEvent e = event(at, outcome, Optional.of("fs_read"));
        return new RequestEvent(
                e.at(),
                e.engine(),
                e.clientName(),
                e.clientVersion(),
                e.sessionId(),
                e.method(),
                e.target(),
                e.durationMicros(),
                e.outcome(),
                e.errorClass(),
                e.argsBytes(),
                e.callId(),
                e.engineSession(),
                "codex@" + host,
                host);
    }

    @Test
    void errorsAndSamplesOfOneHostAreChosenInTheQueryNotAfterTheLimit() {
        try (Store store = backend.open("memory", "desktop")) {
            List<RequestEvent> events = new ArrayList<>();
            events.add(on("laptop", T0, Outcome.TOOL_ERROR));
            events.add(on("laptop", T0.plusSeconds(1), Outcome.OK));
            for (int i = 0; i < 4; i++) {
                events.add(on("buildbox", T0.plusSeconds(10 + i), Outcome.RPC_ERROR));
            }
            store.telemetry().insert(events);
            List<Recorded> laptop = store.telemetry().errors(1, Optional.of("laptop"));
            assertEquals(
                    List.of("laptop " + T0),
                    laptop.stream().map(r -> r.host() + " " + r.event().at()).toList());
            assertEquals(
                    List.of("buildbox"),
                    store.telemetry().errors(1, Optional.empty()).stream()
                            .map(Recorded::host)
                            .toList());
            List<Sample> samples = new ArrayList<>();
            store.telemetry().samples(T0, T0.plusSeconds(60), Optional.of("laptop"), samples::add);
            assertEquals(List.of(false, true), samples.stream().map(Sample::ok).toList());
            assertEquals(
                    List.of(
                            new dev.tandem.core.telemetry.HostCalls("buildbox", 4, 4),
                            new dev.tandem.core.telemetry.HostCalls("laptop", 2, 1)),
                    store.telemetry().perHost(T0, T0.plusSeconds(60)));
        }
    }

    @Test
    void commandUsesAreCountedPerSlugAndEngine() {
        Owner codex = new Owner("codex", "box");
        Owner claude = new Owner("claude", "box");
        try (Store store = backend.open("memory")) {
            store.commandLog().record(codex, "codex-mcp-client", "recall");
            store.commandLog().record(claude, "claude-code", "recall");
            CommandUse third = store.commandLog().record(codex, "codex-mcp-client", "recall");
            store.commandLog().record(codex, "codex-mcp-client", "deploy");
            assertEquals(3, third.uses());
            store.commandLog().record(new Owner("codex", "laptop"), "codex-mcp-client", "recall");
            assertEquals(
                    List.of("recall codex 1"),
                    store.commandLog().stats(Optional.of("laptop")).stream()
                            .map(s -> s.slug() + " " + s.engine() + " " + s.uses())
                            .toList(),
                    "only the laptop's uses");
            List<CommandStats> stats = store.commandLog().stats(Optional.of("box"));
            assertEquals(
                    List.of("recall codex 2", "deploy codex 1", "recall claude 1"),
                    stats.stream()
                            .map(s -> s.slug() + " " + s.engine() + " " + s.uses())
                            .toList());
        }
    }
}
