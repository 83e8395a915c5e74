package dev.tandem.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.sync.runtime.HubTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code [clients.codex] approve_writes} and {@code [clients.claude] allow} drive the rendered blocks. */
class ApprovalsTest {
    @TempDir
    Path dir;

    private List<String> claudeAllow(Sandbox s) {
        JsonNode settings = JsonMapper.builder().build().readTree(s.read(s.home.resolve(".claude/settings.json")));
        List<String> out = new ArrayList<>();
        settings.path("permissions").path("allow").forEach(n -> out.add(n.asString()));
        return out;
    }

    private static void hubToml(Sandbox s, String text) {
        s.write(s.home.resolve(".tandem/hub.toml"), text);
    }

    @Test
    void claudeRunsEveryReadOnlyToolWithoutAskingByDefaultHubInfoIncluded() {
        Sandbox s = new Sandbox(dir);
        assertEquals(0, s.run("push-runtime").exit());
        List<String> allow = claudeAllow(s);
        for (String tool : HubTools.readOnly()) {
            assertTrue(allow.contains("mcp__tandem__" + tool), tool + " missing from " + allow);
        }
        assertTrue(allow.contains("mcp__tandem__hub_info"), allow.toString());
        assertFalse(allow.contains("mcp__tandem__fs_write"), allow.toString());
        assertFalse(allow.contains("mcp__tandem"), allow.toString());
    }

    @Test
    void allowAllGivesClaudeTheServerWideRule() {
        Sandbox s = new Sandbox(dir);
        hubToml(s, "[clients.claude]\nallow = \"all\"\n");
        assertEquals(0, s.run("push-runtime").exit());
        assertTrue(claudeAllow(s).contains("mcp__tandem"), claudeAllow(s).toString());
    }

    @Test
    void allowListNamesTheToolsClaudeRunsWithoutAsking() {
        Sandbox s = new Sandbox(dir);
        hubToml(s, "[clients.claude]\nallow = [\"fs_read\", \"git_commit\"]\n");
        assertEquals(0, s.run("push-runtime").exit());
        List<String> allow = claudeAllow(s);
        assertTrue(allow.contains("mcp__tandem__git_commit"), allow.toString());
        assertFalse(allow.contains("mcp__tandem__fs_list"), allow.toString());
    }

    @Test
    void unknownToolInTheAllowListStopsWithFileLineAndTheToolsThereAre() {
        Sandbox s = new Sandbox(dir);
        hubToml(s, "[clients.claude]\n\nallow = [\"fs_reed\"]\n");
        Sandbox.Result r = s.run("push-runtime");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("hub.toml:3:1: [clients.claude] allow names no hub tool 'fs_reed'"), r.err());
        assertTrue(r.err().contains("fs_read"), r.err());
        assertFalse(Files.exists(s.home.resolve(".claude/settings.json")), "nothing written");
    }

    @Test
    void unknownAllowWordNamesTheAllowedValues() {
        Sandbox s = new Sandbox(dir);
        hubToml(s, "[clients.claude]\nallow = \"everything\"\n");
        Sandbox.Result r = s.run("push-runtime");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("\"read-only\", \"all\", \"none\" or a list of tool names"), r.err());
    }

    @Test
    void approveWritesRendersCodexsApprovalModeIntoTheManagedEntry() {
        Sandbox s = new Sandbox(dir);
        assertEquals(0, s.run("push-runtime").exit());
        Path config = s.home.resolve(".codex/config.toml");
        assertFalse(s.read(config).contains("default_tools_approval_mode"), s.read(config));
        hubToml(s, "[clients.codex]\napprove_writes = true\n");
        assertEquals(0, s.run("push-runtime").exit());
        assertTrue(s.read(config).contains("default_tools_approval_mode = \"approve\""), s.read(config));
        assertEquals(0, s.run("check-sync").exit(), "the pushed choice is in sync");
    }

    @Test
    void tandemFolderIsOwnerOnlyAndItsFilesTooAfterAPush() throws IOException {
        Sandbox s = new Sandbox(dir);
        assertEquals(0, s.run("push-runtime").exit());
        assertEquals(0, s.run("check-sync").exit());
        Path tandem = s.home.resolve(".tandem");
        try (var all = Files.walk(tandem)) {
            for (Path p : all.toList()) {
                String mode =
                        PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
                if (Files.isDirectory(p) || p.endsWith("auth-header")) {
                    assertEquals("rwx------", mode, p.toString());
                } else {
                    assertEquals("rw-------", mode, p.toString());
                }
            }
        }
    }
}
