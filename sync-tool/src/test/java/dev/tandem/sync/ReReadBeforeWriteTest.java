package dev.tandem.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.sync.engine.Backups;
import dev.tandem.sync.engine.DiskWriter;
import dev.tandem.sync.engine.Plan;
import dev.tandem.sync.engine.Planner;
import dev.tandem.sync.runtime.Engine;
import dev.tandem.sync.runtime.Manifest;
import dev.tandem.sync.runtime.RuntimeModel;
import dev.tandem.sync.runtime.Settings;
import dev.tandem.sync.runtime.Sources;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class ReReadBeforeWriteTest {
    @TempDir
    Path dir;

    @Test
    void claudeWritingItsFileBetweenPlanAndWriteKeepsClaudesChange() {
        Sandbox s = new Sandbox(dir);
        Path claudeJson = s.write(s.home.resolve(".claude.json"), "{\n  \"numStartups\": 1\n}\n");
        Settings settings = Settings.load(s.home, s.repo, Map.of(), Engine.CLAUDE, Optional.empty());
        RuntimeModel.Build build = RuntimeModel.push(settings, Sources.load(settings.clients()), Manifest.empty());
        Plan plan = Planner.plan(build.targets(), build.warnings());
        s.write(claudeJson, "{\n  \"numStartups\": 2,\n  \"projects\": {}\n}\n");
        new DiskWriter(
                        new Backups(settings.backups(), s.home, 5, Clock.systemUTC()),
                        new PrintWriter(new StringWriter()))
                .apply(plan);
        JsonNode now = PushRuntimeTest.json(s, claudeJson);
        assertEquals(2, now.path("numStartups").asInt());
        assertTrue(now.has("projects"));
        assertEquals("http", now.path("mcpServers").path("tandem").path("type").asString());
    }

    @Test
    void pushCreatesTheTandemFolderOwnerOnly() throws Exception {
        Sandbox s = new Sandbox(dir);
        s.run("push-runtime");
        assertEquals(
                "rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(s.home.resolve(".tandem"))));
    }
}
