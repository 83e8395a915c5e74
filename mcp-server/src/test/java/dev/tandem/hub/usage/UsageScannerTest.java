package dev.tandem.hub.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.store.Store;
import dev.tandem.core.usage.FileCursor;
import dev.tandem.core.usage.RateLimit;
import dev.tandem.core.usage.Tokens;
import dev.tandem.core.usage.UsageBatch;
import dev.tandem.hub.Logged;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Incremental reading: only new bytes are read, a line still being written waits, a rotated, truncated or rewritten
 * file is read again without counting anything twice, and readers sharing a store count everything once. The logs
 * are written line by line here, in the shapes the real CLIs write (see {@link LogReadersTest}).
 */
class UsageScannerTest {
    @TempDir
    Path dir;

    static String claude(String id, long input, long output, String at) {
        return claude(id, "req_" + id, "claude-sonnet-4-5-20250929", input, output, at, "text");
    }

    static String claude(String id, String request, String model, long input, long output, String at, String block) {
        return "{\"parentUuid\":null,\"isSidechain\":false,\"message\":{\"id\":\"" + id
                + "\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"" + model + "\",\"content\":[{\"type\":\""
                + block + "\",\"text\":\"hi\"}],\"usage\":{\"input_tokens\":" + input
                + ",\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":" + output
                + ",\"service_tier\":\"standard\"}},\"requestId\":\"" + request
                + "\",\"type\":\"assistant\",\"uuid\":\"u-"
                + id + "\",\"timestamp\":\"" + at
                + "\",\"cwd\":\"/work/shop\",\"sessionId\":\"s1\",\"version\":\"2.1.329\"}\n";
    }

    static String userLine(int bytes) {
        return "{\"parentUuid\":null,\"isSidechain\":false,\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":\""
                + "x".repeat(bytes) + "\"},\"timestamp\":\"2026-12-06T10:00:00.000Z\",\"sessionId\":\"s1\"}\n";
    }

    static String codexHead(String session, String model) {
        return "{\"timestamp\":\"2026-12-06T10:00:00.000Z\",\"type\":\"session_meta\",\"payload\":{\"id\":\"" + session
                + "\",\"cwd\":\"/work/api\",\"cli_version\":\"0.169.0\"}}\n"
                + (model == null
                        ? ""
                        : "{\"timestamp\":\"2026-12-06T10:00:00.100Z\",\"type\":\"turn_context\",\"payload\":{\"cwd\":"
                                + "\"/work/api\",\"model\":\"" + model + "\"}}\n");
    }

    /** A token_count line; {@code last} null leaves last_token_usage out (older Codex). */
    static String tokenCount(long[] total, long[] last, String at) {
        return "{\"timestamp\":\"" + at + "\",\"type\":\"event_msg\",\"payload\":{\"type\":\"token_count\",\"info\":{"
                + "\"total_token_usage\":" + usage(total)
                + (last == null ? "" : ",\"last_token_usage\":" + usage(last))
                + "},\"rate_limits\":{\"primary\":null,\"secondary\":null}}}\n";
    }

    private static String usage(long[] u) {
        return "{\"input_tokens\":" + u[0] + ",\"cached_input_tokens\":" + u[1] + ",\"output_tokens\":" + u[2]
                + ",\"reasoning_output_tokens\":" + u[3] + ",\"total_tokens\":" + (u[0] + u[2]) + "}";
    }

    private static Amount total(LogHome h, Store store, String engine) {
        Report r = new Ledger(store.usage(), h.settings(), Clock.systemUTC()).daily(Query.all());
        return r.totals().engines().getOrDefault(engine, Amount.ZERO);
    }

    @Test
    void onlyTheBytesAppendedSinceTheLastReadAreRead() {
        LogHome h = new LogHome(dir);
        Path log = h.claudeProject.resolve("s1.jsonl");
        LogHome.append(log, userLine(5000) + claude("m1", 100, 10, "2026-12-06T10:00:01Z"));
        try (Store store = h.store()) {
            UsageScanner scanner = h.scanner(store);
            assertEquals(1, scanner.scan(Duration.ZERO).read());
            String more = claude("m2", 200, 20, "2026-12-06T10:00:02Z");
            LogHome.append(log, more);
            UsageScanner.Result second = scanner.scan(Duration.ZERO);
            assertEquals(more.getBytes(StandardCharsets.UTF_8).length, second.bytes());
            assertEquals(0, scanner.scan(Duration.ZERO).read(), "nothing new, nothing read");
            assertEquals(
                    new Tokens(300, 0, 0, 0, 30, 0), total(h, store, "claude").tokens());
        }
    }

    @Test
    void aLineStillBeingWrittenIsLeftForTheNextRead() {
        LogHome h = new LogHome(dir);
        Path log = h.claudeProject.resolve("s1.jsonl");
        String line = claude("m1", 100, 10, "2026-12-06T10:00:01Z");
        LogHome.append(log, line.substring(0, 120));
        try (Store store = h.store()) {
            h.scanner(store).scan(Duration.ZERO);
            assertEquals(0, total(h, store, "claude").responses());
            LogHome.append(log, line.substring(120));
            h.scanner(store).scan(Duration.ZERO);
            assertEquals(1, total(h, store, "claude").responses());
            assertEquals(100, total(h, store, "claude").tokens().input());
        }
    }

    @Test
    void aRotatedFileIsReadAgainFromItsStartWithoutCountingTwice() throws IOException {
        LogHome h = new LogHome(dir);
        Path log = h.claudeProject.resolve("s1.jsonl");
        String old = claude("m1", 100, 10, "2026-12-06T10:00:01Z");
        LogHome.append(log, old);
        try (Store store = h.store()) {
            h.scanner(store).scan(Duration.ZERO);
            // a new file (another inode) moved into its place, holding the old line and a new one
            Path next = h.claudeProject.resolve("s1.jsonl.new");
            Files.writeString(next, old + claude("m2", 200, 20, "2026-12-06T10:00:02Z"));
            Files.move(next, log, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            h.scanner(store).scan(Duration.ZERO);
            assertEquals(
                    new Tokens(300, 0, 0, 0, 30, 0), total(h, store, "claude").tokens());
        }
    }

    @Test
    void aFileRewrittenInPlaceIsReadAgainFromItsStart() throws IOException {
        LogHome h = new LogHome(dir);
        Path log = h.claudeProject.resolve("s1.jsonl");
        LogHome.append(log, claude("m1", 100, 10, "2026-12-06T10:00:01Z"));
        try (Store store = h.store()) {
            h.scanner(store).scan(Duration.ZERO);
            // same file, shorter then longer, other first bytes: the cursor's offset means nothing any more
            Files.writeString(log, "");
            Files.writeString(
                    log, claude("m3", 1000, 1, "2026-12-06T11:00:00Z") + claude("m4", 1000, 1, "2026-12-06T11:00:01Z"));
            h.scanner(store).scan(Duration.ZERO);
            Amount a = total(h, store, "claude");
            assertEquals(3, a.responses());
            assertEquals(2100, a.tokens().input());
        }
    }

    @Test
    void aFileWrittenInPlaceWithTheSameSizeIsReadAgainFromItsStart() throws IOException {
        LogHome h = new LogHome(dir);
        Path log = h.claudeProject.resolve("s1.jsonl");
        // the first 4 KiB stay the same: only the time tells the file was written again
        String before = userLine(5000) + claude("m1", 100, 10, "2026-12-06T10:00:01Z");
        String after = userLine(5000) + claude("m9", 900, 90, "2026-12-06T10:00:09Z");
        assertEquals(before.length(), after.length());
        LogHome.append(log, before);
        try (Store store = h.store()) {
            UsageScanner scanner = h.scanner(store);
            scanner.scan(Duration.ZERO);
            FileTime was = Files.getLastModifiedTime(log);
            Files.writeString(log, after);
            Files.setLastModifiedTime(log, FileTime.from(was.toInstant().plusSeconds(1)));
            UsageScanner.Result again = scanner.scan(Duration.ZERO);
            assertEquals(after.length(), again.bytes(), "read again from its start");
            Amount a = total(h, store, "claude");
            assertEquals(2, a.responses());
            assertEquals(1000, a.tokens().input());
            assertEquals(0, h.scanner(store).scan(Duration.ZERO).read(), "then current: nothing opened");
        }
    }

    @Test
    void aTouchedFileIsReadAgainWithoutCountingTwiceAndThenLeftUnopened() throws IOException {
        LogHome h = new LogHome(dir);
        Path log = h.claudeProject.resolve("s1.jsonl");
        String line = claude("m1", 100, 10, "2026-12-06T10:00:01Z");
        LogHome.append(log, line);
        try (Store store = h.store()) {
            UsageScanner scanner = h.scanner(store);
            scanner.scan(Duration.ZERO);
            Files.setLastModifiedTime(
                    log,
                    FileTime.from(Files.getLastModifiedTime(log).toInstant().plusSeconds(1)));
            UsageScanner.Result touched = scanner.scan(Duration.ZERO);
            assertEquals(1, touched.read());
            assertEquals(line.length(), touched.bytes());
            assertEquals(1, total(h, store, "claude").responses());
            assertEquals(0, scanner.scan(Duration.ZERO).read(), "this reader remembers the file as current");
            assertEquals(0, h.scanner(store).scan(Duration.ZERO).read(), "and so does the store, for a new reader");
        }
    }

    @Test
    void aCursorKeptBeforeTheStoreKnewTimesGoesOnFromItsOffsetAndLearnsTheTime() {
        LogHome h = new LogHome(dir);
        Path log = h.claudeProject.resolve("s1.jsonl");
        LogHome.append(log, claude("m1", 100, 10, "2026-12-06T10:00:01Z"));
        try (Store store = h.store()) {
            h.scanner(store).scan(Duration.ZERO);
            FileCursor c = store.usage().cursors().get(log.toString());
            FileCursor old = new FileCursor(
                    c.path(),
                    c.engine(),
                    c.fileKey(),
                    c.size(),
                    FileCursor.UNKNOWN_MTIME,
                    c.offset(),
                    c.headHash(),
                    c.state(),
                    c.readAt());
            assertTrue(store.usage().apply(new UsageBatch(Optional.of(c), old, List.of(), List.of(), List.of())));
            UsageScanner.Result first = h.scanner(store).scan(Duration.ZERO);
            assertEquals(0, first.bytes(), "same size, time not known: the head decides, nothing is read again");
            assertEquals(1, first.read());
            assertTrue(store.usage().cursors().get(log.toString()).mtime() != FileCursor.UNKNOWN_MTIME);
            assertEquals(0, h.scanner(store).scan(Duration.ZERO).read());
            String more = claude("m2", 200, 20, "2026-12-06T10:00:02Z");
            LogHome.append(log, more);
            assertEquals(more.length(), h.scanner(store).scan(Duration.ZERO).bytes());
            assertEquals(2, total(h, store, "claude").responses());
        }
    }

    /** A line whose counts no response has (sums would overflow) counts nothing, and the scan goes on. */
    @Test
    void aLineWithImpossibleCountsCountsNothingAndTheRestIsRead() {
        LogHome h = new LogHome(dir);
        Path log = h.claudeProject.resolve("s1.jsonl");
        String damaged = claude("m0", 1, 1, "2026-12-06T10:00:00Z")
                .replace(
                        "\"cache_creation_input_tokens\":0,",
                        "\"cache_creation\":{\"ephemeral_5m_input_tokens\":9000000000000000000,"
                                + "\"ephemeral_1h_input_tokens\":9000000000000000000},");
        String floats =
                claude("m1", 1, 1, "2026-12-06T10:00:00Z").replace("\"output_tokens\":1", "\"output_tokens\":1e300");
        LogHome.append(log, damaged + floats + claude("m2", 100, 10, "2026-12-06T10:00:01Z"));
        try (Store store = h.store()) {
            assertTrue(h.scanner(store).scan(Duration.ZERO).ran());
            Amount a = total(h, store, "claude");
            assertEquals(1, a.responses());
        }
    }

    /** The warnings the scanner logs while {@code run} runs (java.util.logging, as the hub's log and stderr get them). */
    static List<String> warnings(Runnable run) {
        try {
            return Logged.messages(UsageScanner.class, Level.WARNING, run::run);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void damagedLinesAreNamedByFileAndByteOnceAndReportsStillCountThemAfterLaterReads() {
        LogHome h = new LogHome(dir);
        Path claudeLog = h.claudeProject.resolve("s1.jsonl");
        String good = claude("m1", 100, 10, "2026-12-06T10:00:00Z");
        // one response written as two content blocks, each line claiming 9 * 10^18 input tokens, and a secret in it
        String damaged = claude("m0", 9_000_000_000_000_000_000L, 1, "2026-12-06T10:00:01Z")
                .replace("\"text\":\"hi\"", "\"text\":\"sk-live-SECRET\"");
        LogHome.append(claudeLog, good + damaged + damaged);
        Path codexLog = h.codexDay.resolve(LogHome.CODEX_FILE);
        String head = codexHead("t9", "gpt-5.5");
        long huge = 2_000_000_000L;
        LogHome.append(
                codexLog,
                head + tokenCount(new long[] {huge, 0, 1, 0}, new long[] {huge, 0, 1, 0}, "2026-12-06T10:00:02Z"));
        try (Store store = h.store()) {
            List<String> cold = warnings(() -> h.scanner(store).scan(Duration.ZERO));
            assertEquals(2, cold.size(), cold.toString());
            String claudeWarning = cold.stream()
                    .filter(w -> w.contains(claudeLog.toString()))
                    .findFirst()
                    .orElseThrow();
            assertTrue(
                    claudeWarning.contains(": 1 response not counted") // m0's two lines are one response
                            && claudeWarning.endsWith("byte " + good.getBytes(StandardCharsets.UTF_8).length),
                    claudeWarning);
            String codexWarning = cold.stream()
                    .filter(w -> w.contains(codexLog.toString()))
                    .findFirst()
                    .orElseThrow();
            assertTrue(
                    codexWarning.contains(": 1 response not counted")
                            && codexWarning.endsWith("byte " + head.getBytes(StandardCharsets.UTF_8).length),
                    codexWarning);
            assertFalse(String.join("\n", cold).contains("SECRET"), "a line's content never reaches the log");
            Ledger ledger = new Ledger(store.usage(), h.settings(), Clock.systemUTC());
            assertEquals(2, ledger.daily(Query.all()).damagedResponses(), "the two copies of m0 are one response");
            // a later (warm) read by another scanner reads only what was appended: no new warning, the count stays
            LogHome.append(claudeLog, claude("m2", 100, 10, "2026-12-06T10:00:03Z"));
            List<String> warm = warnings(() -> h.scanner(store).scan(Duration.ZERO));
            assertEquals(List.of(), warm);
            Report r = ledger.daily(Query.all());
            assertEquals(2, r.damagedResponses());
            assertEquals(2, r.totals().total().responses(), "m1 and m2 are counted");
            assertEquals(2L, ReportJson.of(r).get("damagedResponses"));
            assertEquals(
                    1,
                    ledger.daily(new Query("codex", Optional.empty(), Optional.empty(), false))
                            .damagedResponses());
            assertEquals(
                    0,
                    ledger.daily(new Query(
                                    "all",
                                    Optional.of(java.time.LocalDate.parse("2026-12-07")),
                                    Optional.empty(),
                                    false))
                            .damagedResponses(),
                    "only those in the report's days");
        }
    }

    /** The older form is told from the newer by its length, not its first digit: a SHA-256 head may start with 'c'. */
    @Test
    void anOlderHeadHashThatStartsWithCIsStillTheOlderForm() throws IOException {
        Path log = dir.resolve("head.jsonl");
        for (int i = 0; i < 1000; i++) {
            Files.writeString(log, "{\"line\":" + i + "}\n");
            try (FileChannel ch = FileChannel.open(log)) {
                String sha = UsageScanner.sha256Head(ch, Files.size(log));
                if (sha.substring(sha.indexOf(':') + 1).startsWith("c")) {
                    assertTrue(UsageScanner.sameHead(ch, Files.size(log), sha), sha);
                    assertFalse(UsageScanner.sameHead(ch, Files.size(log), sha.replace(":c", ":d")));
                    return;
                }
            }
        }
        throw new AssertionError("no head among 1,000 whose SHA-256 starts with c");
    }

    /** A cursor written before the checksums (its head as SHA-256) goes on from its offset; a changed head does not. */
    @Test
    void aCursorWithTheOlderHeadHashGoesOnFromItsOffsetUnlessTheHeadChanged() throws IOException {
        LogHome h = new LogHome(dir);
        Path log = h.claudeProject.resolve("s1.jsonl");
        LogHome.append(log, claude("m1", 100, 10, "2026-12-06T10:00:01Z"));
        try (Store store = h.store()) {
            h.scanner(store).scan(Duration.ZERO);
            FileCursor c = store.usage().cursors().get(log.toString());
            assertTrue(c.headHash().matches("[0-9]+:c[0-9a-f]{16}"), c.headHash());
            String sha;
            try (FileChannel ch = FileChannel.open(log)) {
                sha = UsageScanner.sha256Head(ch, c.offset());
            }
            assertTrue(sha.matches("[0-9]+:[0-9a-f]{24}"), sha);
            FileCursor older = new FileCursor(
                    c.path(),
                    c.engine(),
                    c.fileKey(),
                    c.size(),
                    FileCursor.UNKNOWN_MTIME,
                    c.offset(),
                    sha,
                    c.state(),
                    c.readAt());
            assertTrue(store.usage().apply(new UsageBatch(Optional.of(c), older, List.of(), List.of(), List.of())));
            String more = claude("m2", 200, 20, "2026-12-06T10:00:02Z");
            LogHome.append(log, more);
            UsageScanner.Result next = h.scanner(store).scan(Duration.ZERO);
            assertEquals(more.length(), next.bytes(), "the same head in the older form: only the new line is read");
            assertEquals(2, total(h, store, "claude").responses());

            // the same older form, but the file's first bytes were rewritten (same length): read again from its start
            FileCursor now = store.usage().cursors().get(log.toString());
            FileCursor stale = new FileCursor(
                    now.path(),
                    now.engine(),
                    now.fileKey(),
                    now.size(),
                    FileCursor.UNKNOWN_MTIME,
                    now.offset(),
                    sha,
                    now.state(),
                    now.readAt());
            assertTrue(store.usage().apply(new UsageBatch(Optional.of(now), stale, List.of(), List.of(), List.of())));
            String text = Files.readString(log);
            Files.writeString(log, text.replace("\"m1\"", "\"n1\""));
            UsageScanner.Result again = h.scanner(store).scan(Duration.ZERO);
            assertEquals(Files.size(log), again.bytes(), "another head: the whole file is read again");
            assertEquals(3, total(h, store, "claude").responses());
        }
    }

    @Test
    void aReadCutOffPartWayGoesOnFromItsCursorAndAFinishedOneLooksCurrent() {
        LogHome h = new LogHome(dir);
        Path log = h.claudeProject.resolve("s1.jsonl");
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < UsageScanner.FILE_BATCH + 10; i++) {
            lines.append(claude(String.format(Locale.ROOT, "m%05d", i), 1, 1, "2026-12-06T10:00:01Z"));
        }
        LogHome.append(log, lines.toString());
        try (Store store = h.store()) {
            h.scanner(store).scan(Duration.ZERO);
            FileCursor end = store.usage().cursors().get(log.toString());
            assertTrue(end.mtime() != FileCursor.UNKNOWN_MTIME, "the last cursor of a file carries its time");
            // where a read cut off after its first batch leaves the store: the whole file's size, a part-way offset
            long partWay = (long) claude("m00000", 1, 1, "2026-12-06T10:00:01Z").length() * UsageScanner.FILE_BATCH;
            FileCursor cut = new FileCursor(
                    end.path(),
                    end.engine(),
                    end.fileKey(),
                    end.size(),
                    FileCursor.UNKNOWN_MTIME,
                    partWay,
                    end.headHash(),
                    end.state(),
                    end.readAt());
            assertTrue(store.usage().apply(new UsageBatch(Optional.of(end), cut, List.of(), List.of(), List.of())));
            UsageScanner.Result next = h.scanner(store).scan(Duration.ZERO);
            assertEquals(end.size() - partWay, next.bytes(), "the rest is read, not skipped as unchanged");
            assertEquals(UsageScanner.FILE_BATCH + 10, total(h, store, "claude").responses());
        }
    }

    @Test
    void aFileAnotherReaderReadMeanwhileIsNotReadAgain() {
        LogHome h = new LogHome(dir);
        Path log = h.claudeProject.resolve("s1.jsonl");
        LogHome.append(log, claude("m1", 100, 10, "2026-12-06T10:00:01Z"));
        try (Store store = h.store()) {
            UsageScanner hub = h.scanner(store);
            hub.scan(Duration.ZERO);
            LogHome.append(log, claude("m2", 200, 20, "2026-12-06T10:00:02Z"));
            assertTrue(h.scanner(store).scan(Duration.ZERO).bytes() > 0, "another reader (tandem usage) reads it");
            UsageScanner.Result after = hub.scan(Duration.ZERO);
            assertEquals(0, after.read(), "the hub finds the store's cursor current and opens nothing");
            LogHome.append(log, claude("m3", 300, 30, "2026-12-06T10:00:03Z"));
            assertTrue(hub.scan(Duration.ZERO).bytes() > 0);
            assertEquals(
                    new Tokens(600, 0, 0, 0, 60, 0), total(h, store, "claude").tokens());
        }
    }

    @Test
    void theCopyOfAResponseWithTheMostOutputWinsAndSyntheticLinesAreSkipped() {
        LogHome h = new LogHome(dir);
        Path log = h.claudeProject.resolve("s1.jsonl");
        LogHome.append(
                log,
                claude("m1", "r1", "claude-sonnet-4-5", 100, 1, "2026-12-06T10:00:01Z", "thinking")
                        + claude("m1", "r1", "claude-sonnet-4-5", 100, 40, "2026-12-06T10:00:01.010Z", "text")
                        + claude("m1", "r1", "claude-sonnet-4-5", 100, 7, "2026-12-06T10:00:01.020Z", "tool_use")
                        + claude("m9", "r9", "<synthetic>", 0, 0, "2026-12-06T10:00:02Z", "text")
                        + "{\"this is\": not json\n");
        try (Store store = h.store()) {
            h.scanner(store).scan(Duration.ZERO);
            Amount a = total(h, store, "claude");
            assertEquals(1, a.responses());
            assertEquals(new Tokens(100, 0, 0, 0, 40, 0), a.tokens());
        }
    }

    @Test
    void aCodexThreadReadInPiecesKeepsItsModelAndCountsEveryResponseOnce() {
        LogHome h = new LogHome(dir);
        Path log = h.codexDay.resolve(LogHome.CODEX_FILE);
        LogHome.append(
                log,
                codexHead("t1", "gpt-5.5")
                        + tokenCount(
                                new long[] {1000, 600, 50, 10},
                                new long[] {1000, 600, 50, 10},
                                "2026-12-06T10:00:01Z"));
        try (Store store = h.store()) {
            h.scanner(store).scan(Duration.ZERO);
            // the same response reported twice (token_count repeats), then one more
            LogHome.append(
                    log,
                    tokenCount(new long[] {1000, 600, 50, 10}, new long[] {1000, 600, 50, 10}, "2026-12-06T10:00:02Z")
                            + tokenCount(
                                    new long[] {2200, 1600, 110, 10},
                                    new long[] {1200, 1000, 60, 0},
                                    "2026-12-06T10:00:03Z"));
            h.scanner(store).scan(Duration.ZERO);
            Report r = new Ledger(store.usage(), h.settings(), Clock.systemUTC())
                    .daily(new Query("codex", Optional.empty(), Optional.empty(), true));
            assertEquals(
                    List.of("gpt-5.5"),
                    List.copyOf(r.totals().models().get("codex").keySet()));
            assertEquals(
                    new Tokens(600, 1600, 0, 0, 110, 10), r.totals().total().tokens());
            assertEquals(2, r.totals().total().responses());
        }
    }

    @Test
    void codexWithoutLastUsageCountsTheGrowthOfItsTotalsAndWithoutTurnContextAnUnknownModel() {
        LogHome h = new LogHome(dir);
        LogHome.append(
                h.codexDay.resolve(LogHome.CODEX_FILE),
                codexHead("t2", null)
                        + tokenCount(new long[] {1000, 0, 50, 0}, null, "2026-12-06T10:00:01Z")
                        + tokenCount(new long[] {1500, 400, 80, 0}, null, "2026-12-06T10:00:02Z"));
        try (Store store = h.store()) {
            h.scanner(store).scan(Duration.ZERO);
            Report r = new Ledger(store.usage(), h.settings(), Clock.systemUTC()).daily(Query.all());
            assertEquals(new Tokens(1100, 400, 0, 0, 80, 0), r.totals().total().tokens());
            assertEquals(List.of("unknown"), List.copyOf(r.unpricedModels()));
            assertEquals(0, r.totals().total().costUsd());
        }
    }

    /**
     * A Codex token count no response has counts nothing and moves no running total (the growth of later totals
     * would overflow); the rest of the thread is counted.
     */
    @Test
    void aCodexLineWithImpossibleCountsCountsNothingAndTheRestIsRead() {
        LogHome h = new LogHome(dir);
        long huge = 1L << 51;
        LogHome.append(
                h.codexDay.resolve(LogHome.CODEX_FILE),
                codexHead("t3", "gpt-5.5")
                        + tokenCount(new long[] {huge, 0, 1, 0}, new long[] {huge, 0, 1, 0}, "2026-12-06T10:00:01Z")
                        + tokenCount(new long[] {100, 0, huge, 0}, null, "2026-12-06T10:00:02Z")
                        + tokenCount(new long[] {100, 40, 10, 0}, null, "2026-12-06T10:00:03Z"));
        try (Store store = h.store()) {
            assertTrue(h.scanner(store).scan(Duration.ZERO).ran());
            Amount a = total(h, store, "codex");
            assertEquals(1, a.responses());
            assertEquals(new Tokens(60, 40, 0, 0, 10, 0), a.tokens());
        }
    }

    /**
     * Responses logged with their own counts only add up to the thread's running totals; one that would take them past
     * 2^50 is damaged and counts nothing, so what a read leaves in the store to go on from is never beyond the bound.
     */
    @Test
    void aCodexResponseThatWouldTakeTheRunningTotalsPastTheBoundCountsNothing() {
        long most = CodexLog.MAX_TOTAL;
        String lastOnly = tokenCount(new long[] {0, 0, 0, 0}, new long[] {10, 0, 1, 0}, "2026-12-06T10:00:02Z")
                .replaceFirst("\"total_token_usage\":\\{[^}]*},", "");
        AfterState after = afterStoredCodexState(
                "near",
                "{\"session\":\"t4\",\"model\":\"gpt-5.5\",\"total\":[" + (most - 5) + ",0,0,0,0]}",
                lastOnly
                        + lastOnly.replace("10:00:02Z", "10:00:03Z")
                                .replace("\"input_tokens\":10", "\"input_tokens\":3"));
        assertEquals(2, after.amount().responses(), "the first response, and the one that stays within the bound");
        assertEquals(new Tokens(1003, 0, 0, 0, 51, 0), after.amount().tokens());
        assertTrue(after.state().contains("\"total\":[" + (most - 2) + ",0,1,0,0]"), after.state());
    }

    /**
     * A stored Codex state whose running totals no thread has (beyond 2^50 tokens, or below zero) is damaged, as a line
     * claiming such counts is: reading goes on as from a state it cannot read, never from those totals.
     */
    @Test
    void aStoredCodexRunningTotalBeyondTheBoundIsTakenAsAStateThatCannotBeRead() {
        long huge = 1L << 51;
        String totalsOnly = tokenCount(new long[] {1500, 400, 80, 0}, null, "2026-12-06T10:00:02Z");
        Tokens fromNothing = new Tokens(2100, 400, 0, 0, 130, 0);
        assertEquals(
                fromNothing,
                afterStoredCodexState("unreadable", "{not json", totalsOnly)
                        .amount()
                        .tokens());
        assertEquals(
                fromNothing,
                afterStoredCodexState(
                                "beyond",
                                "{\"session\":\"t4\",\"model\":\"gpt-5.5\",\"total\":[" + huge + ",0," + huge
                                        + ",0,0]}",
                                totalsOnly)
                        .amount()
                        .tokens());
        assertEquals(
                fromNothing,
                afterStoredCodexState(
                                "negative",
                                "{\"session\":\"t4\",\"model\":\"gpt-5.5\",\"total\":[-" + huge + ",0,0,0,0]}",
                                totalsOnly)
                        .amount()
                        .tokens());
    }

    /**
     * A thread's totals alone can be more than one response may count (a state that could not be read, then lines that
     * log their totals only): that line counts nothing, and the next ones count what the totals grew by.
     */
    @Test
    void aCodexThreadWhoseTotalsAloneAreMoreThanOneResponseGoesOnCountingFromThem() {
        long big = 2_000_000_000L;
        String more = tokenCount(new long[] {big, 0, 10, 0}, null, "2026-12-06T10:00:02Z")
                + tokenCount(new long[] {big + 100, 0, 15, 0}, null, "2026-12-06T10:00:03Z")
                + tokenCount(new long[] {big + 250, 0, 40, 0}, null, "2026-12-06T10:00:04Z");
        AfterState after = afterStoredCodexState("big", "{not json", more);
        assertEquals(1 + 2, after.amount().responses(), "the first response, then the two the totals grew by");
        assertEquals(new Tokens(1000 + 250, 0, 0, 0, 50 + 30, 0), after.amount().tokens());
        assertTrue(after.state().contains("\"total\":[" + (big + 250) + ",0,40,0,"), after.state());
    }

    /** What the ledger holds after a read, and the state the read left to go on from. */
    private record AfterState(Amount amount, String state) {}

    /**
     * Reads one response of a Codex thread (1000 input, 50 output), replaces the stored state of its file with
     * {@code state}, then appends {@code more} and reads it.
     */
    private AfterState afterStoredCodexState(String name, String state, String more) {
        LogHome h = new LogHome(dir.resolve(name));
        Path log = h.codexDay.resolve(LogHome.CODEX_FILE);
        LogHome.append(
                log,
                codexHead("t4", "gpt-5.5")
                        + tokenCount(new long[] {1000, 0, 50, 0}, new long[] {1000, 0, 50, 0}, "2026-12-06T10:00:01Z"));
        try (Store store = h.store()) {
            h.scanner(store).scan(Duration.ZERO);
            FileCursor c = store.usage().cursors().get(log.toString());
            FileCursor stored = new FileCursor(
                    c.path(),
                    c.engine(),
                    c.fileKey(),
                    c.size(),
                    c.mtime(),
                    c.offset(),
                    c.headHash(),
                    state,
                    c.readAt());
            assertTrue(store.usage().apply(new UsageBatch(Optional.of(c), stored, List.of(), List.of(), List.of())));
            LogHome.append(log, more);
            assertTrue(h.scanner(store).scan(Duration.ZERO).ran());
            return new AfterState(
                    total(h, store, "codex"),
                    store.usage().cursors().get(log.toString()).state());
        }
    }

    /** A reset time beyond any date (a damaged number) is no reset time; the window and the response count. */
    @Test
    void aCodexWindowResettingBeyondAnyDateIsKeptWithoutItsReset() {
        LogHome h = new LogHome(dir);
        String line = tokenCount(new long[] {100, 0, 10, 0}, new long[] {100, 0, 10, 0}, "2026-12-06T10:00:01Z")
                .replace(
                        "\"primary\":null,\"secondary\":null",
                        "\"primary\":{\"used_percent\":12.5,\"window_minutes\":300,\"resets_at\":1e300},"
                                + "\"secondary\":{\"used_percent\":40,\"window_minutes\":10080,"
                                + "\"resets_in_seconds\":9000000000000000000}");
        LogHome.append(h.codexDay.resolve(LogHome.CODEX_FILE), codexHead("t4", "gpt-5.5") + line);
        try (Store store = h.store()) {
            assertTrue(h.scanner(store).scan(Duration.ZERO).ran());
            assertEquals(1, total(h, store, "codex").responses());
            List<RateLimit> limits = store.usage().rateLimits();
            assertEquals(2, limits.size(), limits.toString());
            assertTrue(limits.stream().allMatch(l -> l.resetsAt().isEmpty()), limits.toString());
        }
    }

    @Test
    void aLineLongerThanTheBufferIsReadWithoutHoldingIt() {
        LogHome h = new LogHome(dir);
        Path log = h.claudeProject.resolve("s1.jsonl");
        String big = claude("m1", 100, 10, "2026-12-06T10:00:01Z")
                .replace("\"text\":\"hi\"", "\"text\":\"" + "y".repeat(200_000) + "\"");
        LogHome.append(log, userLine(300_000) + big + claude("m2", 1, 1, "2026-12-06T10:00:02Z"));
        try (Store store = h.store()) {
            h.scanner(store, 8192).scan(Duration.ZERO);
            assertEquals(
                    new Tokens(101, 0, 0, 0, 11, 0), total(h, store, "claude").tokens());
        }
    }

    @Test
    void twoReadersOfOneStoreCountEverythingOnce() throws Exception {
        LogHome h = new LogHome(dir);
        for (int f = 0; f < 20; f++) {
            StringBuilder lines = new StringBuilder();
            for (int i = 0; i < 2000; i++) {
                lines.append(claude("f" + f + "m" + i, 10, 1, "2026-12-06T10:00:01Z"));
            }
            LogHome.append(h.claudeProject.resolve("s" + f + ".jsonl"), lines.toString());
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (Store a = h.store();
                Store b = h.store()) {
            List<Callable<UsageScanner.Result>> both = new ArrayList<>();
            both.add(() -> h.scanner(a).scan(Duration.ofMinutes(1)));
            both.add(() -> h.scanner(b).scan(Duration.ofMinutes(1)));
            for (Future<UsageScanner.Result> f : pool.invokeAll(both)) {
                assertTrue(f.get().ran());
            }
            Amount total = total(h, a, "claude");
            assertEquals(40_000, total.responses());
            assertEquals(400_000, total.tokens().input());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aReaderThatFindsTheLockTakenDoesNotWaitWhenToldNotTo() throws Exception {
        LogHome h = new LogHome(dir);
        try (Store store = h.store()) {
            Optional<ScanLock> held = ScanLock.acquire(h.data.resolve("usage-scan.lock"), Duration.ZERO);
            assertTrue(held.isPresent());
            try {
                assertFalse(h.scanner(store).scan(Duration.ZERO).ran());
            } finally {
                held.get().close();
            }
            assertTrue(h.scanner(store).scan(Duration.ZERO).ran());
        }
    }
}
