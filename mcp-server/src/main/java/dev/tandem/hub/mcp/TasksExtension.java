package dev.tandem.hub.mcp;

import dev.tandem.core.config.HubConfig;
import dev.tandem.hub.http.ProtocolExtension;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import tools.jackson.databind.JsonNode;

/**
 * The Tasks extension {@code io.modelcontextprotocol/tasks} of MCP 2026-07-28: a {@code tools/call} of a long
 * tool ({@code task_run}) from a client that declares the extension is answered at once with a task handle, and
 * the client polls {@code tasks/get}, acknowledges with {@code tasks/update} and stops it with {@code
 * tasks/cancel}.
 *
 * <p>A task belongs to the caller that created it ({@link Caller#owner()}); any other caller gets the same
 * -32602 as for an id that never existed. Ids are random UUIDs. A finished task is kept {@code ttlMs} after its
 * last status change, then forgotten; tasks live in the hub's memory and end with it.
 *
 * <p>Spec: modelcontextprotocol/ext-tasks {@code specification/draft/tasks.md} (SEP-2663).
 */
public final class TasksExtension implements ProtocolExtension {
    static final String ID = "io.modelcontextprotocol/tasks";
    static final String GET = "tasks/get";
    static final String UPDATE = "tasks/update";
    static final String CANCEL = "tasks/cancel";
    /** How long a finished task is kept by default, {@code [hub] task_ttl_seconds}. */
    static final Duration DEFAULT_TTL = Duration.ofHours(1);
    /** How often a client is asked to poll. */
    static final Duration POLL_INTERVAL = Duration.ofSeconds(2);
    /** Tasks kept at most (running and finished); a call beyond that answers in the call itself. */
    static final int MAX_TASKS = 1_000;

    private static final String TTL_KEY = "task_ttl_seconds";
    private static final Logger LOG = Logger.getLogger(TasksExtension.class.getName());

    private enum Status {
        WORKING,
        COMPLETED,
        FAILED,
        CANCELLED;

        String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** One task; its mutable state is guarded by the task itself. */
    private static final class Task {
        final String id;
        final String owner;
        final Instant created;
        Instant updated;
        Status status = Status.WORKING;
        Map<String, Object> result;
        Map<String, Object> error;
        Thread worker;

        Task(String id, String owner, Instant created) {
            this.id = id;
            this.owner = owner;
            this.created = created;
            this.updated = created;
        }
    }

    private final Set<String> tools;
    private final Duration ttl;
    private final Clock clock;
    private final Map<String, Task> tasks = new ConcurrentHashMap<>();

    TasksExtension(Set<String> tools, Duration ttl, Clock clock) {
        this.tools = Set.copyOf(tools);
        this.ttl = ttl;
        this.clock = clock;
    }

    /** Creates the extension for the tools the capabilities run as tasks, kept {@code [hub] task_ttl_seconds}. */
    public static TasksExtension from(HubConfig config, List<? extends Capability> capabilities) {
        Set<String> tools = new HashSet<>();
        capabilities.forEach(c -> tools.addAll(c.taskTools()));
        Duration ttl =
                Duration.ofSeconds(config.reader("hub").whole(TTL_KEY, 1, 7L * 24 * 3600, DEFAULT_TTL.toSeconds()));
        return new TasksExtension(tools, ttl, Clock.systemUTC());
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Map<String, Object> settings() {
        return Map.of();
    }

    @Override
    public Set<String> methods() {
        return Set.of(GET, UPDATE, CANCEL);
    }

    @Override
    public boolean reads(String uri) {
        return false;
    }

    @Override
    public boolean takesToolCall(String tool) {
        return tools.contains(tool);
    }

    @Override
    public Map<String, Object> answer(String method, JsonNode params) {
        throw new Refusal(McpSchema.ErrorCodes.INVALID_PARAMS, "Invalid params: " + method + " needs a caller", null);
    }

    @Override
    public Map<String, Object> answer(String method, JsonNode params, McpTransportContext caller) {
        Task task = find(params, Caller.of(caller).owner());
        return switch (method) {
            case GET -> detailed(task);
            case UPDATE -> Map.of(); // no task of the hub ever asks for input
            default -> cancel(task);
        };
    }

    @Override
    public Map<String, Object> takeToolCall(String tool, McpTransportContext caller, ToolCall call) {
        sweep();
        if (tasks.size() >= MAX_TASKS) {
            throw new Refusal(
                    McpSchema.ErrorCodes.INTERNAL_ERROR,
                    MAX_TASKS + " tasks are kept already; wait for some to expire or call " + tool
                            + " without the tasks extension",
                    null);
        }
        Task task = new Task(UUID.randomUUID().toString(), Caller.of(caller).owner(), clock.instant());
        Map<String, Object> created;
        synchronized (task) {
            tasks.put(task.id, task); // known before the answer goes out, so tasks/get finds it at once
            task.worker = Thread.ofVirtual().name("tandem-task-" + tool).unstarted(() -> run(task, call));
            created = new LinkedHashMap<>();
            created.put("resultType", "task");
            created.putAll(fields(task));
        }
        task.worker.start();
        return created;
    }

    private void run(Task task, ToolCall call) {
        McpSchema.JSONRPCResponse response;
        try {
            response = call.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "task " + task.id + " failed", e);
            response = McpSchema.JSONRPCResponse.error(
                    task.id,
                    new McpSchema.JSONRPCResponse.JSONRPCError(
                            McpSchema.ErrorCodes.INTERNAL_ERROR, "Internal error", null));
        }
        synchronized (task) {
            task.worker = null;
            if (task.status != Status.WORKING) {
                return; // cancelled meanwhile: the answer of the stopped call is not the task's result
            }
            if (response.error() != null) {
                Map<String, Object> error = new LinkedHashMap<>();
                error.put("code", response.error().code());
                error.put("message", response.error().message());
                if (response.error().data() != null) {
                    error.put("data", response.error().data());
                }
                task.error = error;
                task.status = Status.FAILED;
            } else {
                task.result = McpJsonDefaults.getMapper()
                        .convertValue(response.result(), new TypeRef<LinkedHashMap<String, Object>>() {});
                task.status = Status.COMPLETED;
            }
            task.updated = clock.instant();
        }
    }

    private Map<String, Object> cancel(Task task) {
        Thread worker;
        synchronized (task) {
            if (task.status != Status.WORKING) {
                return Map.of();
            }
            task.status = Status.CANCELLED;
            task.updated = clock.instant();
            worker = task.worker;
        }
        if (worker != null) {
            worker.interrupt(); // the tool's guard stops its body: task_run kills the process tree
        }
        return Map.of();
    }

    /** The task named by {@code params.taskId} if {@code owner} made it and it has not expired; else -32602. */
    private Task find(JsonNode params, String owner) {
        JsonNode id = params == null || !params.isObject() ? null : params.get("taskId");
        if (id == null || !id.isString()) {
            throw new Refusal(McpSchema.ErrorCodes.INVALID_PARAMS, "Invalid params: taskId must be a string", null);
        }
        sweep();
        Task task = tasks.get(id.asString());
        if (task == null || !task.owner.equals(owner)) {
            throw new Refusal(
                    McpSchema.ErrorCodes.INVALID_PARAMS,
                    "Invalid params: no task " + id.asString() + " (unknown, expired or not yours)",
                    null);
        }
        return task;
    }

    /** Forgets finished tasks whose time to live has passed since their last status change. */
    private void sweep() {
        Instant now = clock.instant();
        tasks.values().removeIf(t -> {
            synchronized (t) {
                return t.status != Status.WORKING && !t.updated.plus(ttl).isAfter(now);
            }
        });
    }

    private Map<String, Object> detailed(Task task) {
        synchronized (task) {
            Map<String, Object> out = fields(task);
            if (task.status == Status.COMPLETED) {
                out.put("result", task.result);
            } else if (task.status == Status.FAILED) {
                out.put("error", task.error);
            }
            return out;
        }
    }

    /** The fields of a {@code Task} (caller holds the task's lock). */
    private Map<String, Object> fields(Task task) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("taskId", task.id);
        out.put("status", task.status.wire());
        out.put("createdAt", task.created.toString());
        out.put("lastUpdatedAt", task.updated.toString());
        out.put("ttlMs", ttl.toMillis());
        out.put("pollIntervalMs", POLL_INTERVAL.toMillis());
        return out;
    }
}
