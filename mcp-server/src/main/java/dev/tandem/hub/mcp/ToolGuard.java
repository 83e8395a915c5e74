package dev.tandem.hub.mcp;

import dev.tandem.core.config.HubConfig;
import dev.tandem.core.memory.InvalidMemoryException;
import dev.tandem.core.memory.MemoryException;
import dev.tandem.core.memory.MemoryNotFoundException;
import dev.tandem.hub.fs.FsException;
import dev.tandem.hub.git.GitException;
import dev.tandem.hub.portfolio.PortfolioException;
import dev.tandem.hub.tasks.TaskException;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * The one wrapper around every tool's handler: a mistake the model can fix becomes a one-line {@code isError}
 * result, and every call has a deadline.
 *
 * <p>The body runs on a worker platform thread while the request's virtual thread only waits. So a body that spins
 * (a regular expression) or blocks in the kernel (open(2) on a FIFO) is preempted by the operating system like any
 * thread and never holds a carrier of the virtual-thread scheduler that {@code /health} and every other request
 * need. When the deadline passes the caller gets {@code isError} at once and the worker is interrupted; work that
 * ignores the interrupt is abandoned on its thread, which is a daemon, so it cannot keep the hub from stopping.
 */
final class ToolGuard implements AutoCloseable {
    /** The default deadline of one call, {@code [hub] tool_timeout_seconds}. */
    static final Duration DEFAULT_DEADLINE = Duration.ofMinutes(2);
    /** Tool bodies running at once; a call beyond that is answered {@code isError} at once, not queued. */
    static final int MAX_RUNNING = 256;

    private static final String KEY = "tool_timeout_seconds";
    private static final long MAX_SECONDS = 24 * 3600;

    private final Duration deadline;
    private final Map<String, Duration> own;
    private final ThreadPoolExecutor workers;

    /**
     * Creates a guard.
     *
     * @param deadline how long a call may take
     * @param own tools that bound their own run time (by name), with the longest they may take
     */
    ToolGuard(Duration deadline, Map<String, Duration> own) {
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("deadline must be positive, got " + deadline);
        }
        this.deadline = deadline;
        this.own = Map.copyOf(own);
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(0, MAX_RUNNING, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "tandem-tool-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Creates the guard from {@code [hub] tool_timeout_seconds} and the tools that keep their own time limits. */
    static ToolGuard from(HubConfig config, List<Capability> capabilities) {
        Duration deadline =
                Duration.ofSeconds(config.reader("hub").whole(KEY, 1, MAX_SECONDS, DEFAULT_DEADLINE.toSeconds()));
        Map<String, Duration> own = new HashMap<>();
        capabilities.forEach(c -> own.putAll(c.ownDeadlines()));
        return new ToolGuard(deadline, own);
    }

    /** Returns {@code spec} with its handler guarded. */
    McpServerFeatures.SyncToolSpecification wrap(McpServerFeatures.SyncToolSpecification spec) {
        String name = spec.tool().name();
        Duration limit = own.getOrDefault(name, deadline);
        String source = own.containsKey(name) ? "its own time limit" : "[hub] " + KEY;
        BiFunction<McpSyncServerExchange, McpSchema.CallToolRequest, McpSchema.CallToolResult> body =
                spec.callHandler();
        return McpServerFeatures.SyncToolSpecification.builder()
                .tool(spec.tool())
                .callHandler((exchange, request) -> call(name, limit, source, () -> body.apply(exchange, request)))
                .build();
    }

    private McpSchema.CallToolResult call(String name, Duration limit, String source, Body body) {
        Future<McpSchema.CallToolResult> running;
        try {
            running = workers.submit(() -> mapped(body));
        } catch (RejectedExecutionException e) {
            return ToolResults.error(name + ": the hub is busy (" + MAX_RUNNING + " tool calls running); try again");
        }
        try {
            return running.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            running.cancel(true);
            return ToolResults.error(
                    name + ": no answer within " + limit.toSeconds() + " s (" + source + "); the call was abandoned");
        } catch (InterruptedException e) {
            running.cancel(true);
            Thread.currentThread().interrupt();
            return ToolResults.error(name + ": cancelled");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r; // protocol misuse (McpError) and bugs keep their JSON-RPC error
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Runs a tool body, turning the failures a model can fix into one-line {@code isError} results. */
    static McpSchema.CallToolResult mapped(Body body) {
        try {
            return body.run();
        } catch (FsException
                | GitException
                | TaskException
                | PortfolioException
                | InvalidMemoryException
                | MemoryNotFoundException
                | ToolArgs.BadArgument e) {
            return ToolResults.error(e.getMessage());
        } catch (MemoryException e) {
            return ToolResults.error("the memory store failed: " + e.getMessage());
        }
    }

    /** A tool body. */
    @FunctionalInterface
    interface Body {
        McpSchema.CallToolResult run();
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
