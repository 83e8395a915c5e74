package dev.tandem.hub.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.hash.Sha256;
import dev.tandem.hub.RawHttp;
import dev.tandem.hub.TestHub;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Skills extension {@code io.modelcontextprotocol/skills} on a real hub over protocol 2026-07-28: {@code
 * skills/list}, {@code skills/get} with manifests of the bytes served, {@code resources/read} of each file, and
 * nothing served from outside the skills folder.
 */
class SkillsExtensionTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String V = "2026-07-28";
    private static final String SKILL_MD =
            "---\nname: review\ndescription: Review a change\nlicense: MIT\nmetadata:\n  owner: team\n---\nRead"
                    + " checklist.md first.\n";

    @TempDir
    static Path dir;

    static TestHub hub;
    static Path skills;

    @BeforeAll
    static void start() throws IOException, InterruptedException {
        hub = TestHub.start(dir);
        skills = Files.createDirectories(hub.config().skillsDir());
        Path review = Files.createDirectories(skills.resolve("review"));
        Files.writeString(review.resolve("SKILL.md"), SKILL_MD, UTF_8);
        Files.writeString(review.resolve("checklist.md"), "- tests\n- docs\n", UTF_8);
        Files.createDirectories(review.resolve("scripts"));
        Files.write(review.resolve("scripts/tool.bin"), new byte[] {0, (byte) 0xff, 1, 2});
        Files.writeString(review.resolve(".hidden"), "not served\n", UTF_8);
        // attackers: a link out of the folder, a FIFO, a linked folder, a skill whose name is not its folder
        Path secret = Files.writeString(dir.resolve("secret.txt"), "TOP SECRET\n", UTF_8);
        Files.createSymbolicLink(review.resolve("leak.md"), secret);
        Files.createDirectories(dir.resolve("outside"));
        Files.writeString(dir.resolve("outside/x.md"), "outside\n", UTF_8);
        Files.createSymbolicLink(review.resolve("linked"), dir.resolve("outside"));
        Process mkfifo = new ProcessBuilder("mkfifo", review.resolve("pipe.md").toString()).start();
        assertTrue(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0);
        Path other = Files.createDirectories(skills.resolve("other"));
        Files.writeString(other.resolve("SKILL.md"), "---\nname: impostor\ndescription: x\n---\nbody\n", UTF_8);
        Path big = Files.createDirectories(skills.resolve("big"));
        Files.writeString(big.resolve("SKILL.md"), "---\nname: big\ndescription: too many files\n---\nb\n", UTF_8);
        for (int i = 0; i < 512; i++) {
            Files.writeString(big.resolve("f" + i + ".txt"), "x", UTF_8);
        }
        for (int i = 0; i < 60; i++) {
            Path s = Files.createDirectories(skills.resolve(String.format("s%02d", i)));
            Files.writeString(s.resolve("SKILL.md"), "---\nname: s%02d\ndescription: d\n---\nb\n".formatted(i));
        }
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    private static ObjectNode params() {
        ObjectNode p = JSON.createObjectNode();
        ObjectNode meta = p.putObject("_meta");
        meta.put("io.modelcontextprotocol/protocolVersion", V);
        meta.putObject("io.modelcontextprotocol/clientCapabilities");
        return p;
    }

    private static RawHttp.Response send(String method, ObjectNode params) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Authorization", "Bearer " + hub.token());
        h.put("Content-Type", "application/json");
        h.put("Accept", "application/json, text/event-stream");
        h.put("MCP-Protocol-Version", V);
        h.put("Mcp-Method", method);
        if (params.has("uri") && method.equals("resources/read")) {
            h.put("Mcp-Name", params.get("uri").asString());
        }
        ObjectNode root = JSON.createObjectNode();
        root.put("jsonrpc", "2.0");
        root.put("id", 3);
        root.put("method", method);
        root.set("params", params);
        return RawHttp.send(hub.port(), "POST", "/mcp", h, JSON.writeValueAsString(root));
    }

    private static JsonNode result(RawHttp.Response r) {
        assertEquals(200, r.status(), r.toString());
        JsonNode body = JSON.readTree(r.body());
        assertTrue(body.has("result"), r.body());
        JsonNode result = body.get("result");
        assertEquals("complete", result.path("resultType").asString(), r.body());
        return result;
    }

    private static void assertInvalidParams(RawHttp.Response r) {
        assertEquals(400, r.status(), r.toString());
        assertEquals(-32602, JSON.readTree(r.body()).path("error").path("code").asInt(), r.body());
    }

    private static JsonNode get(String uri) {
        ObjectNode p = params();
        p.put("uri", uri);
        return result(send("skills/get", p)).get("skill");
    }

    private static RawHttp.Response read(String uri) {
        ObjectNode p = params();
        p.put("uri", uri);
        return send("resources/read", p);
    }

    @Test
    void discoverDeclaresTheSkillsExtension() {
        JsonNode caps = result(send("server/discover", params())).get("capabilities");
        assertTrue(caps.path("extensions").has("io.modelcontextprotocol/skills"), caps.toString());
        assertTrue(caps.has("resources"), caps.toString());
    }

    @Test
    void getReturnsTheWholeFrontMatterAndAManifestOfTheBytesServed() throws IOException {
        JsonNode skill = get("skill://review/SKILL.md");
        assertEquals("skill://review/SKILL.md", skill.path("uri").asString());
        JsonNode front = skill.get("frontmatter");
        assertEquals("review", front.path("name").asString());
        assertEquals("MIT", front.path("license").asString());
        assertEquals("team", front.path("metadata").path("owner").asString());
        Map<String, JsonNode> byUri = new LinkedHashMap<>();
        skill.get("resources").forEach(r -> byUri.put(r.path("uri").asString(), r));
        assertEquals(
                List.of("skill://review/SKILL.md", "skill://review/checklist.md", "skill://review/scripts/tool.bin"),
                new ArrayList<>(byUri.keySet()),
                skill.toString());
        Path review = skills.resolve("review");
        for (String rel : List.of("SKILL.md", "checklist.md", "scripts/tool.bin")) {
            byte[] bytes = Files.readAllBytes(review.resolve(rel));
            JsonNode entry = byUri.get("skill://review/" + rel);
            assertEquals("sha256:" + Sha256.hex(bytes), entry.path("digest").asString());
            assertEquals(bytes.length, entry.path("size").asLong());
        }
    }

    @Test
    void everyManifestEntryReadsBackWithTheSameDigest() {
        for (JsonNode entry : get("skill://review/SKILL.md").get("resources")) {
            JsonNode content =
                    result(read(entry.path("uri").asString())).get("contents").get(0);
            byte[] bytes = content.has("text")
                    ? content.get("text").asString().getBytes(UTF_8)
                    : java.util.Base64.getDecoder().decode(content.get("blob").asString());
            assertEquals(entry.path("digest").asString(), "sha256:" + Sha256.hex(bytes), content.toString());
        }
    }

    @Test
    void listPagesThroughEverySkillOnceWithCacheFields() {
        Set<String> seen = new HashSet<>();
        String cursor = null;
        int pages = 0;
        do {
            ObjectNode p = params();
            if (cursor != null) {
                p.put("cursor", cursor);
            }
            JsonNode result = result(send("skills/list", p));
            assertTrue(result.path("ttlMs").asLong(-1) >= 0, result.toString());
            assertEquals("private", result.path("cacheScope").asString());
            for (JsonNode s : result.get("skills")) {
                assertTrue(seen.add(s.path("uri").asString()), s.toString());
                assertTrue(s.get("resources").isArray());
            }
            cursor = result.has("nextCursor") ? result.get("nextCursor").asString() : null;
            pages++;
        } while (cursor != null);
        assertTrue(pages > 1);
        assertEquals(61, seen.size(), seen.toString());
        assertTrue(seen.contains("skill://review/SKILL.md"));
        assertTrue(seen.contains("skill://s59/SKILL.md"));
        assertFalse(seen.contains("skill://other/SKILL.md"), "a skill named unlike its folder is not served");
    }

    @Test
    void aSkillOverTheFileLimitIsRefusedByNameAndLeftOutOfTheList() {
        ObjectNode p = params();
        p.put("uri", "skill://big/SKILL.md");
        RawHttp.Response r = send("skills/get", p);
        JsonNode error = JSON.readTree(r.body()).path("error");
        assertEquals(-32603, error.path("code").asInt(), r.body());
        assertTrue(error.path("message").asString().contains("more than 512 files"), r.body());
    }

    @Test
    void aBadCursorIsInvalidParams() {
        ObjectNode p = params();
        p.put("cursor", "%%%");
        assertInvalidParams(send("skills/list", p));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "skill://nope/SKILL.md",
                "skill://other/SKILL.md",
                "skill://review/checklist.md",
                "skill://review"
            })
    void getOfAnythingButAServedSkillIsInvalidParams(String uri) {
        ObjectNode p = params();
        p.put("uri", uri);
        assertInvalidParams(send("skills/get", p));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "skill://review/../../secret.txt",
                "skill://review/scripts/../../other/SKILL.md",
                "skill://review/leak.md",
                "skill://review/linked/x.md",
                "skill://review/pipe.md",
                "skill://review/.hidden",
                "skill://review/",
                "skill://review//SKILL.md",
                "skill://../secret.txt/x",
                "skill://review/scripts"
            })
    void readRefusesEverythingOutsideTheSkillsRegularFiles(String uri) {
        RawHttp.Response r = read(uri);
        assertInvalidParams(r);
        assertFalse(r.body().contains("TOP SECRET"), r.body());
        assertFalse(r.body().contains("outside"), r.body());
    }

    @Test
    void theManifestLeavesOutLinksFifosAndHiddenFiles() {
        String manifest = get("skill://review/SKILL.md").toString();
        for (String name : List.of("leak.md", "linked", "pipe.md", ".hidden")) {
            assertFalse(manifest.contains(name), manifest);
        }
    }

    @Test
    void theLegacySkillResourceStillServesTheBody() throws InterruptedException {
        // the skill was written after the hub started: its skill://{slug} resource appears at the next poll
        RawHttp.Response r = read("skill://review");
        for (int i = 0; i < 100 && r.status() != 200; i++) {
            Thread.sleep(100);
            r = read("skill://review");
        }
        JsonNode content = result(r).get("contents").get(0);
        assertTrue(content.path("text").asString().contains("Read checklist.md first."), content.toString());
    }
}
