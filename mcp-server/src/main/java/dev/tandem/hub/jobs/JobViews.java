package dev.tandem.hub.jobs;

import dev.tandem.core.jobs.JobEvent;
import dev.tandem.core.jobs.JobRecord;
import dev.tandem.core.jobs.PendingRequest;
import dev.tandem.core.jobs.ProtectedChange;
import dev.tandem.hub.usage.Ledger;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The job record on the wire, the same for {@code status --json}, {@code list --json}, the MCP tools and the
 * dashboard (docs/jobs.md, "The record"). Absent values are JSON {@code null}.
 */
public final class JobViews {
    /** The JSON schema of one record, for the MCP tools' output schemas. */
    public static final String RECORD_SCHEMA = """
            {"type":"object","properties":{
              "id":{"type":"string"},"engine":{"type":"string","enum":["codex","claude"]},
              "mode":{"type":"string","enum":["one-shot","interactive"]},
              "status":{"type":"string","enum":["queued","running","waiting","completed","failed","killed","interrupted"]},
              "dir":{"type":"string"},"prompt":{"type":"string"},"model":{"type":["string","null"]},
              "sandbox":{"type":"string"},"approval":{"type":"string"},"origin":{"type":"string"},"host":{"type":"string"},
              "created":{"type":"string"},"started":{"type":["string","null"]},"ended":{"type":["string","null"]},
              "elapsed_ms":{"type":"integer"},
              "tokens":{"type":"object","properties":{"input":{"type":"integer"},"cached_input":{"type":"integer"},
                "output":{"type":"integer"},"context_window":{"type":["integer","null"]},
                "context_used_pct":{"type":["number","null"]}}},
              "cost_usd":{"type":["number","null"]},
              "files_modified":{"type":"array","items":{"type":"string"}},
              "protected_changes":{"type":"array","items":{"type":"object","properties":{"path":{"type":"string"},
                "change":{"type":"string","enum":["added","changed","removed","present","unchecked"]}}}},
              "summary":{"type":["string","null"]},"session_id":{"type":["string","null"]},
              "pending":{"type":"array","items":{"type":"object","properties":{"id":{"type":"string"},
                "kind":{"type":"string"},"summary":{"type":"string"},"since":{"type":"string"}}}},
              "error":{"type":["string","null"]},"turns":{"type":"integer"},"output_truncated":{"type":"boolean"},
              "ledger":{"type":["object","null"]}},
             "required":["id","engine","status","dir","prompt","created","elapsed_ms","tokens","files_modified",
               "pending"]}
            """;

    private static final DateTimeFormatter CLOCK =
            DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    private JobViews() {}

    /**
     * Returns the record as a JSON-ready map with {@code ledger}: what the job's session cost by the usage ledger
     * (null when the ledger has read none of its responses yet, or there is no ledger). What {@code /api/jobs} and the
     * MCP job tools answer.
     */
    public static Map<String, Object> record(JobRecord j, Instant now, Optional<Ledger> ledger) {
        Map<String, Object> out = record(j, now);
        out.put("ledger", ledger.map(l -> l.jobView(j)).orElse(null));
        return out;
    }

    /** Returns the record as a JSON-ready map, with {@code elapsed_ms} measured at {@code now}. */
    public static Map<String, Object> record(JobRecord j, Instant now) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", j.id());
        out.put("engine", j.engine());
        out.put("host", j.host());
        out.put("mode", j.mode());
        out.put("status", j.status().wireName());
        out.put("dir", j.dir());
        out.put("prompt", j.prompt());
        out.put("model", j.model().orElse(null));
        out.put("sandbox", j.sandbox());
        out.put("approval", j.approval());
        out.put("origin", j.origin());
        out.put("created", j.created().toString());
        out.put("started", j.started().map(Instant::toString).orElse(null));
        out.put("ended", j.ended().map(Instant::toString).orElse(null));
        out.put("elapsed_ms", j.elapsedMillis(now));
        Map<String, Object> tokens = new LinkedHashMap<>();
        tokens.put("input", j.tokens().input());
        tokens.put("cached_input", j.tokens().cachedInput());
        tokens.put("output", j.tokens().output());
        tokens.put("context_window", j.tokens().contextWindow().orElse(null));
        tokens.put("context_used_pct", j.tokens().contextUsedPercent().orElse(null));
        out.put("tokens", tokens);
        out.put("cost_usd", j.costUsd().orElse(null));
        out.put("files_modified", j.filesModified());
        out.put("protected_changes", protectedChanges(j));
        out.put("summary", j.summary().orElse(null));
        out.put("session_id", j.sessionId().orElse(null));
        List<Map<String, Object>> pending = new ArrayList<>();
        for (PendingRequest p : j.pending()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", p.id());
            m.put("kind", p.kind());
            m.put("summary", p.summary());
            m.put("since", p.since().toString());
            pending.add(m);
        }
        out.put("pending", pending);
        out.put("error", j.error().orElse(null));
        out.put("turns", j.turns());
        out.put("output_truncated", j.outputTruncated());
        return out;
    }

    /** Returns the record's protected changes as JSON-ready maps: {@code [{"path", "change"}]}. */
    public static List<Map<String, Object>> protectedChanges(JobRecord j) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ProtectedChange c : j.protectedChanges()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", c.path());
            m.put("change", c.change());
            out.add(m);
        }
        return out;
    }

    /** Returns an event as a JSON-ready map. */
    public static Map<String, Object> event(JobEvent e) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("seq", e.seq());
        out.put("at", e.at().toString());
        out.put("kind", e.kind());
        out.put("text", e.text());
        return out;
    }

    /** Returns the output lines of events, as {@code tandem jobs output} prints them: {@code HH:MM:SS kind text}. */
    public static List<String> lines(List<JobEvent> events) {
        List<String> out = new ArrayList<>();
        for (JobEvent e : events) {
            String prefix = CLOCK.format(e.at()) + " " + e.kind() + " ";
            String[] parts = e.text().split("\n", -1);
            out.add(prefix + parts[0]);
            String indent = " ".repeat(prefix.length());
            for (int i = 1; i < parts.length; i++) {
                out.add(indent + parts[i]);
            }
        }
        return out;
    }
}
