package dev.tandem.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.memory.MemoryDraft;
import dev.tandem.core.memory.Owner;
import dev.tandem.core.memory.Scope;
import dev.tandem.core.store.Store;
import dev.tandem.core.store.StoreSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** push-runtime's agent documents with a real memory store made by the hub's own repository. */
class AgentDocumentsTest {
    private static final Owner CODEX = new Owner("codex", "devbox");
    private static final Owner CLAUDE = new Owner("claude", "devbox");

    @TempDir
    Path dir;

    private Sandbox sandbox() {
        Sandbox s = new Sandbox(dir);
        s.write(s.home.resolve(".tandem/hub.toml"), "[memory]\nhost = \"devbox\"\n");
        return s;
    }

    /** Opens the store the hub would open for this sandbox's home, through the hub's own repository. */
    private static Store store(Sandbox s) {
        return Store.open(new StoreSettings(s.home.resolve(".tandem/data/memory.db"), "devbox"));
    }

    private static void remember(Store store, Owner owner, String summary, Scope scope) {
        store.memories().insert(owner, new MemoryDraft(summary + " In full.", "", summary, List.of(), scope));
    }

    /** Returns the lines between the markers of section {@code name}. */
    private static List<String> section(String doc, String name) {
        String start = "<!-- tandem:" + name + ":start -->\n";
        int from = doc.indexOf(start);
        int to = doc.indexOf("<!-- tandem:" + name + ":end -->");
        assertTrue(from >= 0 && to > from, doc);
        return doc.substring(from + start.length(), to).lines().toList();
    }

    private static List<String> items(String doc, String name) {
        return section(doc, name).stream().filter(l -> l.startsWith("- ")).toList();
    }

    @Test
    void memoriesSectionHoldsTheEnginesClientMemoriesAndSharedOnes() {
        Sandbox s = sandbox();
        try (Store repo = store(s)) {
            remember(repo, CODEX, "Codex keeps its own notes.", Scope.CLIENT);
            remember(repo, CLAUDE, "Claude keeps its own notes.", Scope.CLIENT);
            remember(repo, new Owner("codex", "laptop"), "Codex on another host.", Scope.CLIENT);
            remember(repo, CLAUDE, "Both agents see this.", Scope.SHARED);
        }
        assertEquals(0, s.run("push-runtime").exit());
        String agents = String.join("\n", items(s.read(s.codex("AGENTS.md")), "memories"));
        assertTrue(agents.contains("Codex keeps its own notes."), agents);
        assertTrue(agents.contains("[shared] Both agents see this."), agents);
        assertFalse(agents.contains("Claude keeps"), agents);
        assertFalse(agents.contains("another host"), agents);
        String claude = String.join("\n", items(s.read(s.claude("CLAUDE.md")), "memories"));
        assertTrue(claude.contains("Claude keeps its own notes."), claude);
        assertTrue(claude.contains("Both agents see this."), claude);
        assertFalse(claude.contains("Codex keeps"), claude);
    }

    @Test
    void memoriesSectionHoldsTheFiftyNewestNewestFirst() {
        Sandbox s = sandbox();
        try (Store repo = store(s)) {
            for (int i = 0; i < 55; i++) {
                remember(repo, CODEX, "Note number " + i + ".", i % 2 == 0 ? Scope.CLIENT : Scope.SHARED);
            }
        }
        s.run("push-runtime");
        List<String> items = items(s.read(s.codex("AGENTS.md")), "memories");
        assertEquals(50, items.size());
        assertTrue(items.get(0).contains("Note number 54."), items.get(0));
        assertTrue(items.get(49).contains("Note number 5."), items.get(49));
        assertTrue(items.get(0).matches("- \\d{4}-\\d{2}-\\d{2} [a-z0-9]+ Note number 54\\."), items.get(0));
        assertTrue(items.get(1).matches("- \\d{4}-\\d{2}-\\d{2} [a-z0-9]+ \\[shared] Note number 53\\."), items.get(1));
    }

    @Test
    void wordWithAnAtSignInASummaryIsPutInBackticksForClaudeOnly() {
        Sandbox s = sandbox();
        try (Store repo = store(s)) {
            remember(repo, CLAUDE, "Ask @dana for the key, see `@docs/keys.md`.", Scope.SHARED);
        }
        s.run("push-runtime");
        String claude = String.join("\n", items(s.read(s.claude("CLAUDE.md")), "memories"));
        assertTrue(claude.contains("Ask `@dana` for the key, see `'@docs/keys.md'.`"), claude);
        String codex = String.join("\n", items(s.read(s.codex("AGENTS.md")), "memories"));
        assertTrue(codex.contains("Ask @dana for the key"), codex);
    }

    @Test
    void missingStoreLeavesTheMemoriesSectionAsItIsAndSaysSo() {
        Sandbox s = sandbox();
        String mine = """
                # Mine
                <!-- tandem:memories:start -->
                - 2026-01-01 `m0` from an earlier push
                <!-- tandem:memories:end -->
                """;
        s.write(s.claude("CLAUDE.md"), mine);
        Sandbox.Result r = s.run("push-runtime");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("tandem: the hub's memory store cannot be read"), r.err());
        assertTrue(r.err().contains("memory.db"), r.err());
        assertEquals(
                List.of("- 2026-01-01 `m0` from an earlier push"), section(s.read(s.claude("CLAUDE.md")), "memories"));
        assertFalse(Files.exists(s.home.resolve(".tandem/data/memory.db")));
        assertFalse(Files.exists(s.codex("AGENTS.md"))
                && s.read(s.codex("AGENTS.md")).contains("tandem:memories"));
    }

    @Test
    void unreadableStoreLeavesTheMemoriesSectionAsItIsAndSaysSo() {
        Sandbox s = sandbox();
        s.write(s.home.resolve(".tandem/data/memory.db"), "this is not a database\n");
        Sandbox.Result r = s.run("push-runtime", "--engine", "codex");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("tandem: the hub's memory store cannot be read"), r.err());
        assertFalse(s.read(s.codex("AGENTS.md")).contains("tandem:memories"));
        assertEquals("this is not a database\n", s.read(s.home.resolve(".tandem/data/memory.db")));
    }

    @Test
    void lockedStoreLeavesTheMemoriesSectionAsItIsAndSaysSo() throws Exception {
        Sandbox s = sandbox();
        Path db = s.home.resolve(".tandem/data/memory.db");
        try (Store repo = store(s)) {
            remember(repo, CODEX, "Behind a lock.", Scope.SHARED);
        }
        try (Connection lock = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement st = lock.createStatement()) {
            st.execute("PRAGMA locking_mode = EXCLUSIVE");
            st.execute("BEGIN EXCLUSIVE");
            st.execute("DELETE FROM memory WHERE 0");
            Sandbox.Result r = s.run("push-runtime", "--engine", "codex");
            assertEquals(0, r.exit(), r.err());
            assertTrue(r.err().contains("tandem: the hub's memory store cannot be read"), r.err());
            assertTrue(r.err().contains("database is locked"), r.err());
            st.execute("ROLLBACK");
        }
        assertFalse(s.read(s.codex("AGENTS.md")).contains("tandem:memories"));
    }

    @Test
    void pushNeverWritesTheStore() throws Exception {
        Sandbox s = sandbox();
        Path db = s.home.resolve(".tandem/data/memory.db");
        try (Store repo = store(s)) {
            remember(repo, CODEX, "Read, never written.", Scope.SHARED);
        }
        byte[] before = Files.readAllBytes(db);
        assertEquals(0, s.run("push-runtime").exit());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(db)));
    }

    @Test
    void secondPushWithAStoreWritesNothing() {
        Sandbox s = sandbox();
        try (Store repo = store(s)) {
            remember(repo, CODEX, "Something to remember.", Scope.SHARED);
        }
        s.run("push-runtime");
        var first = s.snapshot();
        Sandbox.Result second = s.run("push-runtime");
        assertTrue(second.out().contains("nothing to write"), second.out());
        assertEquals(first, s.snapshot());
    }

    @Test
    void aNewMemoryMakesTheMemoriesSectionStaleNotDrift() {
        Sandbox s = sandbox();
        try (Store repo = store(s)) {
            remember(repo, CODEX, "First.", Scope.SHARED);
        }
        s.run("push-runtime");
        assertEquals(0, s.run("check-sync").exit());
        try (Store repo = store(s)) {
            remember(repo, CODEX, "Second.", Scope.SHARED);
        }
        Sandbox.Result r = s.run("check-sync");
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("stale: " + s.codex("AGENTS.md")), r.out());
        assertTrue(r.out().contains("memories sha256: expected "), r.out());
        assertFalse(r.out().contains("drift: "), r.out());
        assertFalse(r.out().contains("whole sha256"), r.out());
        assertTrue(r.out().contains("tandem: in sync ("), r.out());
    }

    @Test
    void strictCheckSyncExitsOneOnAStaleMemoriesSection() {
        Sandbox s = sandbox();
        s.run("push-runtime");
        try (Store repo = store(s)) {
            remember(repo, CLAUDE, "Later.", Scope.SHARED);
        }
        assertEquals(1, s.run("check-sync", "--strict").exit());
        s.run("push-runtime");
        assertEquals(0, s.run("check-sync", "--strict").exit());
    }

    @Test
    void staleMemoriesAreReportedApartInTheJsonReportAndTheRecord() {
        Sandbox s = sandbox();
        s.run("push-runtime");
        try (Store repo = store(s)) {
            remember(repo, CLAUDE, "Later.", Scope.SHARED);
        }
        Sandbox.Result r = s.run("check-sync", "--json", "--strict");
        assertEquals(1, r.exit(), r.out());
        var report = dev.tandem.sync.text.JsonText.parseObject(Path.of("stdout"), r.out());
        assertEquals("stale", report.path("status").asString());
        assertEquals(0, report.path("drift").size(), r.out());
        assertEquals("memories sha256", report.path("stale").get(0).path("item").asString());
        Path record = s.home.resolve(".tandem/state/check-sync.json");
        var saved = dev.tandem.sync.text.JsonText.parseObject(record, s.read(record));
        assertTrue(saved.path("inSync").asBoolean(), "stale is not drift, even when --strict exits 1");
    }

    @Test
    void anEditedSkillsSectionIsStillDrift() {
        Sandbox s = sandbox();
        s.run("push-runtime", "--engine", "codex");
        Path agents = s.codex("AGENTS.md");
        s.write(agents, s.read(agents).replace("## Skills from Tandem", "## My skills"));
        Sandbox.Result r = s.run("check-sync", "--engine", "codex");
        assertEquals(1, r.exit(), r.out());
        assertTrue(r.out().contains("sections sha256: expected "), r.out());
    }

    @Test
    void checkSyncReportsTheBaseHashWhenTheBaseChanges() {
        Sandbox s = sandbox();
        s.run("push-runtime", "--engine", "codex");
        s.write(s.repo.resolve("clients/shared/AGENTS.md"), "# New base\n");
        Sandbox.Result r = s.run("check-sync", "--engine", "codex");
        assertEquals(1, r.exit(), r.out());
        assertTrue(r.out().contains("base sha256: expected "), r.out());
        assertFalse(r.out().contains("  sections sha256"), r.out());
    }

    @Test
    void personTextOutsideTheSectionsIsKeptByteForByte() {
        Sandbox s = sandbox();
        s.write(s.codex("AGENTS.md"), "# Mine\r\n\r\nBe terse.  ");
        s.run("push-runtime");
        String doc = s.read(s.codex("AGENTS.md"));
        assertTrue(doc.startsWith("# Mine\r\n\r\nBe terse.  \r\n<!-- tandem:base:start -->\r\n"), doc);
        assertEquals(0, s.run("clean-runtime", "--remove").exit());
        assertEquals("# Mine\r\n\r\nBe terse.  ", s.read(s.codex("AGENTS.md")));
    }

    @Test
    void baseIsExpandedPerEngine() {
        Sandbox s = sandbox();
        s.run("push-runtime");
        List<String> codex = section(s.read(s.codex("AGENTS.md")), "base");
        assertTrue(codex.contains("# Working with the Tandem hub"), codex.toString());
        assertTrue(String.join("\n", codex).contains("You are running in codex."), codex.toString());
        assertFalse(String.join("\n", codex).contains("{{"), codex.toString());
        assertTrue(String.join("\n", section(s.read(s.claude("CLAUDE.md")), "base"))
                .contains("You are running in claude."));
    }

    @Test
    void skillsSectionListsThePublishedSkillsWithDescriptions() {
        Sandbox s = sandbox();
        s.run("push-runtime");
        List<String> skills = items(s.read(s.claude("CLAUDE.md")), "skills");
        assertEquals(2, skills.size(), skills.toString());
        assertTrue(skills.get(0).startsWith("- `recall`: Look up what earlier sessions"), skills.get(0));
        assertTrue(skills.get(1).startsWith("- `remember`: "), skills.get(1));
    }

    @Test
    void agentsRenderPrintsWhatPushWouldWrite() {
        Sandbox s = sandbox();
        try (Store repo = store(s)) {
            remember(repo, CLAUDE, "Rendered and pushed alike.", Scope.SHARED);
        }
        s.write(s.claude("CLAUDE.md"), "# Mine\n");
        Sandbox.Result codex = s.render();
        Sandbox.Result claude = s.render("--engine", "claude");
        assertEquals(0, claude.exit(), claude.err());
        assertEquals("# Mine\n", s.read(s.claude("CLAUDE.md")));
        s.run("push-runtime");
        assertEquals(s.read(s.codex("AGENTS.md")), codex.out());
        assertEquals(s.read(s.claude("CLAUDE.md")), claude.out());
    }

    @Test
    void agentsRenderRefusesEngineAll() {
        Sandbox.Result r = sandbox().render("--engine", "all");
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("tandem: --engine must be codex or claude"), r.err());
    }
}
