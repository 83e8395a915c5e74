package dev.tandem.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.config.HubConfig;
import dev.tandem.core.config.HubConfigLoader;
import dev.tandem.core.config.HubFlags;
import dev.tandem.hub.cli.InitCommand;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The person's content lives outside the checkout; the example persona and the start folder are never served. */
class InitAndOwnSourceTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private HubConfig load(Path home) {
        return new HubConfigLoader(home, home, REPO, Map.of()).load(Optional.empty(), HubFlags.none());
    }

    @Test
    void byDefaultTheExamplePersonaIsNotServedAndNoFolderIsARoot() {
        HubConfig cfg = load(dir);
        assertEquals(dir.resolve(".tandem/source/portfolio"), cfg.portfolioDir());
        assertEquals(List.of(), cfg.roots(), "never the folder the hub starts in");
    }

    @Test
    void aHubWithoutRootsServesNoFileTools() {
        try (TestHub hub = TestHub.start(dir, InitAndOwnSourceTest::noRoots, null)) {
            List<String> tools = hub.client("claude-code").listTools().tools().stream()
                    .map(McpSchema.Tool::name)
                    .toList();
            assertFalse(tools.stream().anyMatch(t -> t.startsWith("fs_") || t.startsWith("git_")), tools.toString());
            assertTrue(tools.contains("memory_store"), tools.toString());
            McpSchema.CallToolResult job = hub.client("claude-code")
                    .callTool(McpSchema.CallToolRequest.builder("job_start")
                            .arguments(Map.of("prompt", "list the files"))
                            .build());
            assertTrue(job.isError(), job.toString());
            assertTrue(job.content().toString().contains("no roots are configured"), job.toString());
        }
    }

    private static HubConfig noRoots(HubConfig c) {
        return c.withRoots(List.of());
    }

    @Test
    void initMakesTheOwnSourceOutsideTheCheckoutAndSyncAndThePortfolioReadFromIt() throws IOException {
        Path home = Files.createDirectories(dir.resolve("home"));
        Path code = Files.createDirectories(dir.resolve("code"));
        Path source = dir.resolve("my-source");
        Path config = home.resolve(".tandem/hub.toml");
        TandemCli.Run r = TandemCli.tandem(
                "init",
                "--config",
                config.toString(),
                "--source",
                source.toString(),
                "--root",
                code.toString(),
                "--repo",
                REPO.toString(),
                "--git");
        assertEquals(0, r.exit(), r.err());
        assertTrue(Files.isDirectory(source.resolve(".git")), "a git repository when asked");
        assertTrue(Files.isRegularFile(source.resolve("shared/skills/recall/SKILL.md")), "skills seeded");
        assertTrue(Files.isRegularFile(source.resolve("codex/config-fragment.toml")), "fragments seeded");
        assertFalse(Files.readString(source.resolve("portfolio/identity.md")).contains("Sam Rivera"));
        assertTrue(Files.readString(source.resolve("examples/portfolio/identity.md"))
                .contains("Sam Rivera"));

        HubConfig cfg = load(home);
        assertEquals(source.resolve("portfolio"), cfg.portfolioDir());
        assertEquals(List.of(code), cfg.roots());
        assertEquals(source.resolve("shared/skills"), cfg.skillsDir());

        Files.createDirectories(source.resolve("shared/skills/mine"));
        Files.writeString(
                source.resolve("shared/skills/mine/SKILL.md"), "---\nname: mine\ndescription: Mine.\n---\nMine.\n");
        TandemCli.Run push =
                TandemCli.tandem("sync", "push-runtime", "--home", home.toString(), "--repo", REPO.toString());
        assertEquals(0, push.exit(), push.err());
        assertTrue(Files.isRegularFile(home.resolve(".claude/skills/mine/SKILL.md")), "push reads the own source");
        String claudeMd = Files.readString(home.resolve(".claude/CLAUDE.md"));
        assertTrue(claudeMd.contains("From " + source + "/shared/AGENTS.md"), claudeMd);
        assertFalse(claudeMd.contains("clients/"), "deployed comments name the own source, not the checkout");

        Files.createDirectories(home.resolve(".claude/skills/fresh"));
        Files.writeString(
                home.resolve(".claude/skills/fresh/SKILL.md"), "---\nname: fresh\ndescription: New.\n---\nNew.\n");
        TandemCli.Run pull =
                TandemCli.tandem("sync", "pull-runtime", "--home", home.toString(), "--repo", REPO.toString());
        assertEquals(0, pull.exit(), pull.err());
        assertTrue(pull.out().contains("-> " + source + "/shared/skills/fresh"), pull.out());
        assertFalse(pull.out().contains("clients/"), pull.out());
    }

    @Test
    void initLeavesAnExistingSourceAlone() throws IOException {
        Path source = Files.createDirectories(dir.resolve("src"));
        Files.writeString(source.resolve("keep.md"), "mine");
        TandemCli.Run r = TandemCli.tandem(
                "init",
                "--config",
                dir.resolve("hub.toml").toString(),
                "--source",
                source.toString(),
                "--repo",
                REPO.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("nothing copied"), r.out());
        assertFalse(Files.exists(source.resolve("shared")));
    }

    @Test
    void initAsksForTheRootsAndRefusesWhatIsNotAFolder() throws IOException {
        Path home = Files.createDirectories(dir.resolve("home"));
        Path code = Files.createDirectories(home.resolve("code"));
        Path notes = Files.createDirectories(dir.resolve("notes"));
        Path config = home.resolve(".tandem/hub.toml");
        CommandLine cl = Main.commandLine();
        InitCommand init = cl.getSubcommands().get("init").getCommand();
        String answers = dir.resolve("missing") + "\nrelative/dir\n" + code + "\n" + notes + "\n\n";
        init.answersFrom(new ByteArrayInputStream(answers.getBytes(StandardCharsets.UTF_8)));
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        int exit = cl.execute(
                "init",
                "--ask",
                "--config",
                config.toString(),
                "--source",
                dir.resolve("src").toString(),
                "--repo",
                REPO.toString());
        assertEquals(0, exit, out.toString());
        assertTrue(out.toString().contains(dir.resolve("missing") + ": not a folder"), out.toString());
        assertTrue(out.toString().contains("relative/dir: give an absolute path"), out.toString());
        assertEquals(List.of(code, notes), load(home).roots());
    }
}
