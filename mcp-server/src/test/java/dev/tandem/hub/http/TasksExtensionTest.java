package dev.tandem.hub.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.hub.RawHttp;
import dev.tandem.hub.TestHub;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Tasks extension of MCP 2026-07-28 on a real hub over HTTP: {@code task_run} answered with a task handle for a
 * client that declares the extension, {@code tasks/get|update|cancel}, a real process tree killed on cancel, tasks
 * bound to their caller, expiry; and a stateless tool call cancelled by closing its stream.
 */
class TasksExtensionTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String V = "2026-07-28";
    private static final String EXT = "io.modelcontextprotocol/tasks";
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    static Path dir;

    static TestHub hub;

    static final String TASKS = """
            [tasks]
            max_concurrent = 8
            kill_grace_seconds = 1

            [tasks.hello]
            argv = ["sh", "-c", "echo hello; echo oops >&2"]

            [tasks.broken]
            argv = ["sh", "-c", "echo bad; exit 3"]

            [tasks.tree]
            argv = ["sh", "-c", "sleep 300 & echo $! > \\"$0\\".grandchild; echo $$ > \\"$0\\".child; wait", "TREE"]
            timeout = 600
            """;

    @BeforeAll
    static void start() {
        hub = TestHub.start(dir, "[hub]\nkeep_alive_seconds = 1\n\n" + TASKS, null);
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    // ---- the extension ---------------------------------------------------------------------------------------

    @Test
    void discoverDeclaresTheTasksExtension() {
        JsonNode r = result(send(hub, "server/discover", null, params("c", true)));
        assertTrue(r.get("capabilities").get("extensions").has(EXT), r.toString());
    }

    @Test
    void taskRunAnswersWithATaskHandleAndTasksGetGivesTheResult() {
        JsonNode created = result(callTask(hub, "owner", "hello", true));
        assertEquals("task", created.get("resultType").asString(), created.toString());
        assertEquals("working", created.get("status").asString());
        for (String field : List.of("taskId", "createdAt", "lastUpdatedAt", "ttlMs", "pollIntervalMs")) {
            assertTrue(created.has(field), field + " in " + created);
        }
        JsonNode done = awaitEnd(hub, "owner", created.get("taskId").asString());
        assertEquals("complete", done.get("resultType").asString(), done.toString());
        assertEquals("completed", done.get("status").asString(), done.toString());
        JsonNode out = done.get("result").get("structuredContent");
        assertEquals(0, out.get("exitCode").asInt());
        assertTrue(out.get("stdout").get("text").asString().contains("hello"), done.toString());
        assertFalse(done.get("result").path("isError").asBoolean(false), done.toString());
    }

    @Test
    void aFailingCommandIsACompletedTaskWithIsError() {
        String id = result(callTask(hub, "owner", "broken", true)).get("taskId").asString();
        JsonNode done = awaitEnd(hub, "owner", id);
        assertEquals("completed", done.get("status").asString(), done.toString());
        assertTrue(done.get("result").get("isError").asBoolean(), done.toString());
        assertEquals(
                3, done.get("result").get("structuredContent").get("exitCode").asInt());
    }

    @Test
    void aClientWithoutTheExtensionGetsTheResultInTheCall() {
        JsonNode r = result(callTask(hub, "owner", "hello", false));
        assertEquals("complete", r.get("resultType").asString(), r.toString());
        assertFalse(r.has("taskId"), r.toString());
        assertEquals(0, r.get("structuredContent").get("exitCode").asInt(), r.toString());
    }

    @Test
    void tasksUpdateIsAcknowledged() {
        String id = result(callTask(hub, "owner", "hello", true)).get("taskId").asString();
        ObjectNode p = params("owner", true);
        p.put("taskId", id);
        p.putObject("inputResponses");
        JsonNode r = result(send(hub, "tasks/update", id, p));
        assertEquals("complete", r.get("resultType").asString(), r.toString());
        awaitEnd(hub, "owner", id);
    }

    @Test
    void tasksCancelKillsTheWholeProcessTree() throws Exception {
        Path marker = dir.resolve("cancel-" + UUID.randomUUID());
        String id = result(callTree(hub, "owner", true)).get("taskId").asString();
        long child = pid(marker, "child");
        long grandchild = pid(marker, "grandchild");
        assertTrue(alive(child) && alive(grandchild), "the tree runs before the cancel");

        JsonNode ack = result(send(hub, "tasks/cancel", id, taskParams("owner", id)));
        assertEquals("complete", ack.get("resultType").asString(), ack.toString());

        await(() -> !alive(child) && !alive(grandchild), "child and grandchild are killed");
        JsonNode after = result(send(hub, "tasks/get", id, taskParams("owner", id)));
        assertEquals("cancelled", after.get("status").asString(), after.toString());
    }

    @Test
    void anotherCallerCanNeitherSeeNorCancelATask() throws Exception {
        Path marker = dir.resolve("foreign-" + UUID.randomUUID());
        String id = result(callTree(hub, "owner", true)).get("taskId").asString();
        long child = pid(marker, "child");
        try {
            for (String method : List.of("tasks/get", "tasks/update", "tasks/cancel")) {
                RawHttp.Response r = send(hub, method, id, taskParams("intruder", id));
                assertEquals(-32602, error(r).get("code").asInt(), method + ": " + r.body());
                assertFalse(r.body().contains("working"), r.body());
            }
            // the owner's own name on another credential is no better: a task belongs to its credential
            for (String method : List.of("tasks/get", "tasks/cancel")) {
                RawHttp.Response r = send(hub, method, id, taskParams("owner", id), "claude");
                assertEquals(-32602, error(r).get("code").asInt(), method + ": " + r.body());
            }
            assertTrue(alive(child), "the intruder's cancel stopped nothing");
            JsonNode mine = result(send(hub, "tasks/get", id, taskParams("owner", id)));
            assertEquals("working", mine.get("status").asString(), mine.toString());
        } finally {
            send(hub, "tasks/cancel", id, taskParams("owner", id));
        }
        await(() -> !alive(child), "the owner's cancel ends the task");
    }

    @Test
    void anUnknownTaskIdIsInvalidParams() {
        String id = UUID.randomUUID().toString();
        RawHttp.Response r = send(hub, "tasks/get", id, taskParams("owner", id));
        assertEquals(400, r.status(), r.body());
        assertEquals(-32602, error(r).get("code").asInt(), r.body());
    }

    @Test
    void taskIdsAreRandomUuids() {
        String a = result(callTask(hub, "owner", "hello", true)).get("taskId").asString();
        String b = result(callTask(hub, "owner", "hello", true)).get("taskId").asString();
        assertNotEquals(a, b);
        assertEquals(4, UUID.fromString(a).version(), a);
        awaitEnd(hub, "owner", a);
        awaitEnd(hub, "owner", b);
    }

    @Test
    void mcpNameMustNameTheTask() {
        String id = result(callTask(hub, "owner", "hello", true)).get("taskId").asString();
        RawHttp.Response r = send(hub, "tasks/get", "someone-else", taskParams("owner", id));
        assertEquals(400, r.status(), r.body());
        assertEquals(-32020, error(r).get("code").asInt(), r.body());
        awaitEnd(hub, "owner", id);
    }

    @Test
    void aFinishedTaskIsForgottenAfterItsTimeToLive(@TempDir Path other) throws Exception {
        try (TestHub shortLived = TestHub.start(other, "[hub]\ntask_ttl_seconds = 1\n\n" + TASKS, null)) {
            JsonNode created = result(callTask(shortLived, "owner", "hello", true));
            assertEquals(1000, created.get("ttlMs").asLong(), created.toString());
            String id = created.get("taskId").asString();
            awaitEnd(shortLived, "owner", id);
            await(
                    () -> send(shortLived, "tasks/get", id, taskParams("owner", id))
                                    .status()
                            == 400,
                    "the task expires");
            RawHttp.Response r = send(shortLived, "tasks/get", id, taskParams("owner", id));
            assertEquals(-32602, error(r).get("code").asInt(), r.body());
        }
    }

    // ---- cancellation by closing the stream ------------------------------------------------------------------

    @Test
    void closingTheStreamOfAStatelessToolCallKillsItsProcessTree() throws Exception {
        Path marker = dir.resolve("dropped-" + UUID.randomUUID());
        String body = request(9, "tools/call", treeParams("owner", false));
        long child;
        long grandchild;
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), hub.port())) {
            OutputStream out = socket.getOutputStream();
            StringBuilder head = new StringBuilder("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:" + hub.port() + "\r\n");
            headers("tools/call", "task_run")
                    .forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            byte[] bytes = body.getBytes(UTF_8);
            head.append("Content-Length: ").append(bytes.length).append("\r\n\r\n");
            out.write(head.toString().getBytes(UTF_8));
            out.write(bytes);
            out.flush();
            child = pid(marker, "child");
            grandchild = pid(marker, "grandchild");
            assertTrue(alive(child) && alive(grandchild), "the tree runs while the client waits");
        } // the client goes away: the socket closes with the call still running
        await(() -> !alive(child) && !alive(grandchild), "child and grandchild are killed");
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private static RawHttp.Response callTask(TestHub h, String client, String task, boolean declare) {
        ObjectNode p = params(client, declare);
        p.put("name", "task_run");
        p.putObject("arguments").put("name", task);
        return send(h, "tools/call", "task_run", p);
    }

    private static RawHttp.Response callTree(TestHub h, String client, boolean declare) {
        return send(h, "tools/call", "task_run", treeParams(client, declare));
    }

    /** {@code task_run tree}; it writes its pids to {@code root/TREE.*}, which {@link #pid} moves aside. */
    private static ObjectNode treeParams(String client, boolean declare) {
        ObjectNode p = params(client, declare);
        p.put("name", "task_run");
        p.putObject("arguments").put("name", "tree");
        return p;
    }

    private static long pid(Path marker, String which) throws Exception {
        Path file = dir.resolve("root/TREE." + which);
        await(() -> Files.exists(file) && readable(file), "the tree writes its " + which + " pid");
        long pid = Long.parseLong(Files.readString(file, UTF_8).strip());
        Files.move(file, Path.of(marker + "." + which));
        return pid;
    }

    private static boolean readable(Path file) {
        try {
            return !Files.readString(file, UTF_8).isBlank();
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static void await(BooleanSupplier condition, String what) {
        long end = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within " + PATIENCE.toSeconds() + " s: " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static JsonNode awaitEnd(TestHub h, String client, String id) {
        JsonNode[] last = new JsonNode[1];
        await(
                () -> {
                    last[0] = result(send(h, "tasks/get", id, taskParams(client, id)));
                    return !"working".equals(last[0].get("status").asString());
                },
                "task " + id + " ends");
        return last[0];
    }

    private static ObjectNode params(String client, boolean declare) {
        ObjectNode p = JSON.createObjectNode();
        ObjectNode meta = p.putObject("_meta");
        meta.put("io.modelcontextprotocol/protocolVersion", V);
        ObjectNode caps = meta.putObject("io.modelcontextprotocol/clientCapabilities");
        if (declare) {
            caps.putObject("extensions").putObject(EXT);
        }
        ObjectNode info = meta.putObject("io.modelcontextprotocol/clientInfo");
        info.put("name", client);
        info.put("version", "1.0");
        return p;
    }

    private static ObjectNode taskParams(String client, String id) {
        ObjectNode p = params(client, true);
        p.put("taskId", id);
        return p;
    }

    private static String request(Object id, String method, ObjectNode params) {
        ObjectNode root = JSON.createObjectNode();
        root.put("jsonrpc", "2.0");
        root.put("id", ((Number) id).longValue());
        root.put("method", method);
        root.set("params", params);
        return JSON.writeValueAsString(root);
    }

    private static Map<String, String> headers(String method, String name) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Authorization", "Bearer " + hub.token());
        h.put("Content-Type", "application/json");
        h.put("Accept", "application/json, text/event-stream");
        h.put("MCP-Protocol-Version", V);
        h.put("Mcp-Method", method);
        if (name != null) {
            h.put("Mcp-Name", name);
        }
        return h;
    }

    private static RawHttp.Response send(TestHub h, String method, String name, ObjectNode params) {
        return send(h, method, name, params, credential(params));
    }

    private static RawHttp.Response send(TestHub h, String method, String name, ObjectNode params, String credential) {
        Map<String, String> headers = headers(method, name);
        headers.put("Authorization", "Bearer " + h.token(credential));
        return RawHttp.send(h.port(), "POST", "/mcp", headers, request(7, method, params));
    }

    /**
     * Returns the credential a request of these params comes with: the client calling itself {@code intruder} is on
     * Claude's credential, every other on Codex's (a task belongs to the credential that made it, whatever the
     * client calls itself).
     */
    private static String credential(ObjectNode params) {
        String name = params.path("_meta")
                .path("io.modelcontextprotocol/clientInfo")
                .path("name")
                .asString("");
        return name.equals("intruder") ? "claude" : "codex";
    }

    private static JsonNode result(RawHttp.Response r) {
        JsonNode body = last(r);
        assertTrue(body.has("result"), r.toString());
        return body.get("result");
    }

    private static JsonNode error(RawHttp.Response r) {
        JsonNode body = last(r);
        assertTrue(body.has("error"), r.toString());
        return body.get("error");
    }

    private static JsonNode last(RawHttp.Response r) {
        List<JsonNode> out = new ArrayList<>();
        if (r.header("content-type").orElse("").startsWith("text/event-stream")) {
            for (String line : r.body().split("\n", -1)) {
                if (line.startsWith("data:")) {
                    out.add(JSON.readTree(line.substring(5).strip()));
                }
            }
        } else {
            out.add(JSON.readTree(r.body()));
        }
        return out.get(out.size() - 1);
    }
}
