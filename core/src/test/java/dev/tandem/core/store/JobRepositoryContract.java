package dev.tandem.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.jobs.JobEvent;
import dev.tandem.core.jobs.JobRecord;
import dev.tandem.core.jobs.JobRepository;
import dev.tandem.core.jobs.JobStatus;
import dev.tandem.core.jobs.JobTokens;
import dev.tandem.core.jobs.PendingRequest;
import dev.tandem.core.jobs.ProtectedChange;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Job records and their output, as the hub's jobs capability uses them: the contract every backend keeps. */
abstract class JobRepositoryContract {
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

    private Store open() {
        return backend.open("memory");
    }

    private static JobRecord job(String id, Instant created) {
        return JobRecord.builder(id, "codex", "interactive", "/work/p", "look around", created)
                .host("box")
                .build();
    }

    @Test
    void everyFieldSurvivesAReopen() {
        JobRecord full = job("a1", T0).toBuilder()
                .status(JobStatus.WAITING)
                .model(Optional.of("gpt-5.5"))
                .sandbox("workspace-write")
                .approval("on-request")
                .files(List.of("src/*.java"))
                .origin("mcp:claude")
                .started(Optional.of(T0.plusSeconds(1)))
                .tokens(new JobTokens(1000, 400, 50, Optional.of(258_400L), Optional.of(1050L)))
                .costUsd(Optional.of(0.0123))
                .filesModified(List.of("/work/p/a.txt", "/work/p/b.txt"))
                .summary(Optional.of("done"))
                .sessionId(Optional.of("01a24ac5-c054"))
                .pending(List.of(new PendingRequest("1", "command", "touch x", T0.plusSeconds(2))))
                .error(Optional.of("none yet"))
                .turns(2)
                .output(321, true)
                .process(Optional.of(4242L), Optional.of(T0.plusMillis(1500)))
                .protectedChanges(List.of(
                        new ProtectedChange("/work/p/.claude/settings.json", "added"),
                        new ProtectedChange("/work/p/.envrc", "removed")))
                .build();
        try (Store store = open()) {
            store.jobs().insert(full);
        }
        try (Store store = open()) {
            assertEquals(full, store.jobs().find("a1").orElseThrow());
        }
    }

    @Test
    void updateReplacesTheRecordAndListIsNewestFirstAndFiltersByStatus() {
        try (Store store = open()) {
            JobRepository jobs = store.jobs();
            jobs.insert(job("old", T0));
            jobs.insert(job("new", T0.plusSeconds(5)));
            assertTrue(jobs.update(
                    job("old", T0).toBuilder().status(JobStatus.COMPLETED).build()));
            assertFalse(jobs.update(job("missing", T0)));
            assertEquals(
                    List.of("new", "old"),
                    jobs.list(10, List.of()).stream().map(JobRecord::id).toList());
            assertEquals(
                    List.of("old"),
                    jobs.list(10, List.of(JobStatus.COMPLETED)).stream()
                            .map(JobRecord::id)
                            .toList());
        }
    }

    @Test
    void listByHostTakesTheNewestOfThatHostEvenWhenAnotherHostsAreNewer() {
        try (Store store = open()) {
            JobRepository jobs = store.jobs();
            jobs.insert(job("laptop-old", T0).toBuilder().host("laptop").build());
            for (int i = 0; i < 3; i++) {
                jobs.insert(job("desktop-" + i, T0.plusSeconds(10 + i)).toBuilder()
                        .host("desktop")
                        .build());
            }
            assertEquals(
                    List.of("laptop-old"),
                    jobs.list(1, List.of(), Optional.of("laptop")).stream()
                            .map(JobRecord::id)
                            .toList());
            assertEquals(
                    List.of("desktop-2", "desktop-1"),
                    jobs.list(2, List.of(JobStatus.QUEUED), Optional.of("desktop")).stream()
                            .map(JobRecord::id)
                            .toList());
            assertEquals(List.of(), jobs.list(5, List.of(), Optional.of("nobody")));
            assertEquals(java.util.Map.of("desktop", 3L, "laptop", 1L), jobs.countsByHost(T0));
            assertEquals(java.util.Map.of("desktop", 2L), jobs.countsByHost(T0.plusSeconds(11)));
        }
    }

    @Test
    void eventsComeBackInOrderAfterASeqAndAsATail() {
        try (Store store = open()) {
            JobRepository jobs = store.jobs();
            jobs.insert(job("e", T0));
            jobs.appendEvents(
                    "e",
                    List.of(
                            new JobEvent(1, T0, "message", "one"),
                            new JobEvent(2, T0, "command", "two"),
                            new JobEvent(3, T0, "message", "three")));
            assertEquals(3, jobs.lastSeq("e"));
            assertEquals(0, jobs.lastSeq("other"));
            assertEquals(
                    List.of("two", "three"),
                    jobs.events("e", 1, 10).stream().map(JobEvent::text).toList());
            assertEquals(
                    List.of("two", "three"),
                    jobs.lastEvents("e", 2).stream().map(JobEvent::text).toList());
        }
    }

    @Test
    void interruptActiveSettlesQueuedRunningAndWaitingJobsOnly() {
        try (Store store = open()) {
            JobRepository jobs = store.jobs();
            jobs.insert(job("q", T0));
            jobs.insert(job("r", T0).toBuilder()
                    .status(JobStatus.RUNNING)
                    .process(Optional.of(77L), Optional.of(T0))
                    .build());
            jobs.insert(job("w", T0).toBuilder()
                    .status(JobStatus.WAITING)
                    .pending(List.of(new PendingRequest("1", "command", "x", T0)))
                    .build());
            jobs.insert(job("c", T0).toBuilder().status(JobStatus.COMPLETED).build());
            // another machine's hub on the same store runs its own jobs: this hub's start must not end them
            jobs.insert(job("o", T0).toBuilder()
                    .host("other-box")
                    .status(JobStatus.RUNNING)
                    .process(Optional.of(78L), Optional.of(T0))
                    .build());
            List<JobRecord> before = jobs.interruptActive(T0.plusSeconds(9), "the hub stopped", Optional.of("box"));
            assertEquals(
                    List.of("q", "r", "w"),
                    before.stream().map(JobRecord::id).sorted().toList());
            assertEquals(
                    Optional.of(77L),
                    before.stream()
                            .filter(j -> j.id().equals("r"))
                            .findFirst()
                            .orElseThrow()
                            .pid());
            JobRecord r = jobs.find("r").orElseThrow();
            assertEquals(JobStatus.INTERRUPTED, r.status());
            assertEquals(Optional.of("the hub stopped"), r.error());
            assertEquals(Optional.empty(), r.pid());
            assertEquals(List.of(), jobs.find("w").orElseThrow().pending());
            assertEquals(JobStatus.COMPLETED, jobs.find("c").orElseThrow().status());
            JobRecord other = jobs.find("o").orElseThrow();
            assertEquals(JobStatus.RUNNING, other.status());
            assertEquals(Optional.of(78L), other.pid());
            // a store of one machine's own (no host given) settles whatever it holds, whatever host name it was under
            assertEquals(
                    List.of("o"),
                    jobs.interruptActive(T0.plusSeconds(10), "the hub stopped", Optional.empty()).stream()
                            .map(JobRecord::id)
                            .toList());
            assertEquals(JobStatus.INTERRUPTED, jobs.find("o").orElseThrow().status());
        }
    }

    @Test
    void deleteEndedBeforeKeepsActiveAndRecentJobs() {
        try (Store store = open()) {
            JobRepository jobs = store.jobs();
            jobs.insert(job("done-old", T0).toBuilder()
                    .status(JobStatus.COMPLETED)
                    .ended(Optional.of(T0))
                    .build());
            jobs.insert(job("done-new", T0).toBuilder()
                    .status(JobStatus.FAILED)
                    .ended(Optional.of(T0.plusSeconds(100)))
                    .build());
            jobs.insert(
                    job("running-old", T0).toBuilder().status(JobStatus.RUNNING).build());
            jobs.appendEvents("done-old", List.of(new JobEvent(1, T0, "message", "bye")));
            assertEquals(1, jobs.deleteEndedBefore(T0.plusSeconds(50)));
            assertEquals(
                    List.of("done-new", "running-old"),
                    jobs.list(10, List.of()).stream()
                            .map(JobRecord::id)
                            .sorted()
                            .toList());
            assertEquals(0, jobs.lastSeq("done-old"));
        }
    }
}
