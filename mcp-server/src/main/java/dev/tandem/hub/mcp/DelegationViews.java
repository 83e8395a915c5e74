package dev.tandem.hub.mcp;

import dev.tandem.core.jobs.JobRecord;
import dev.tandem.hub.delegation.DelegationService;
import dev.tandem.hub.jobs.JobViews;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/** What the delegation tools share: the answer built from a finished job, and progress notifications. */
final class DelegationViews {
    static final String OUTPUT_SCHEMA = """
            {"type":"object","properties":{\
            "job_id":{"type":"string"},"status":{"type":"string"},"engine":{"type":"string"},\
            "caller":{"type":"string"},"depth":{"type":"integer"},"background":{"type":"boolean"},\
            "message":{"type":"string"},"message_truncated":{"type":"boolean"},"note":{"type":"string"},\
            "files_modified":{"type":"array","items":{"type":"string"}},\
            "protected_changes":{"type":"array","items":{"type":"object","properties":{\
            "path":{"type":"string"},"change":{"type":"string"}}}},\
            "tokens":{"type":"object"},"cost_usd":{"type":["number","null"]},\
            "session_id":{"type":["string","null"]},"error":{"type":["string","null"]},\
            "verdict":{"type":"object"}},"required":["job_id","status","engine"]}""";

    private static final Duration PROGRESS_INTERVAL = Duration.ofMillis(250);
    private static final int PROGRESS_MAX_CHARS = 16 * 1024;

    private DelegationViews() {}

    /** Returns the answer of a delegation that ran to its end. */
    static Map<String, Object> outcome(DelegationService service, DelegationService.Outcome o, String caller) {
        JobRecord j = o.job();
        Map<String, Object> out = head(j, caller, o.depth());
        out.put("message", o.message());
        out.put("message_truncated", o.cut());
        if (o.cut()) {
            out.put(
                    "note",
                    "the message was cut at " + service.settings().outputCapBytes() / 1024
                            + " KiB ([delegation] output_kib); all of it: job_output with id " + j.id());
        }
        out.put("files_modified", j.filesModified().stream().map(service::scrub).toList());
        List<Map<String, Object>> changes = JobViews.protectedChanges(j);
        changes.forEach(c -> c.put("path", service.scrub((String) c.get("path"))));
        out.put("protected_changes", changes);
        Map<String, Object> tokens = new LinkedHashMap<>();
        tokens.put("input", j.tokens().input());
        tokens.put("cached_input", j.tokens().cachedInput());
        tokens.put("output", j.tokens().output());
        out.put("tokens", tokens);
        out.put("cost_usd", j.costUsd().orElse(null));
        out.put("session_id", j.sessionId().orElse(null));
        out.put("error", j.error().map(service::scrub).orElse(null));
        return out;
    }

    /** Returns the answer of a delegation started in the background. */
    static Map<String, Object> started(DelegationService.Started s, String caller) {
        Map<String, Object> out = head(s.job(), caller, s.depth());
        out.put("background", true);
        out.put("note", "running as job " + s.job().id() + ": follow it with job_status and job_output");
        return out;
    }

    private static Map<String, Object> head(JobRecord j, String caller, int depth) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("job_id", j.id());
        out.put("status", j.status().wireName());
        out.put("engine", j.engine());
        out.put("caller", caller);
        out.put("depth", depth);
        return out;
    }

    /** Returns progress that goes out as notifications when the caller sent a progress token. */
    static DelegationService.Progress progress(McpSyncServerExchange exchange, Object token, ProgressLines[] holder) {
        if (token == null) {
            return (kind, text) -> {};
        }
        BiConsumer<Long, String> send = (count, message) ->
                exchange.progressNotification(McpSchema.ProgressNotification.builder(token, (double) count)
                        .message(message)
                        .build());
        ProgressLines lines = new ProgressLines(send, PROGRESS_INTERVAL, PROGRESS_MAX_CHARS, System::nanoTime);
        holder[0] = lines;
        return lines::line;
    }
}
