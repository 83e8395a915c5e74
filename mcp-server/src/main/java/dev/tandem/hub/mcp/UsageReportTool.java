package dev.tandem.hub.mcp;

import dev.tandem.core.store.StoreException;
import dev.tandem.hub.usage.Amount;
import dev.tandem.hub.usage.Blocks;
import dev.tandem.hub.usage.Ledger;
import dev.tandem.hub.usage.Query;
import dev.tandem.hub.usage.Report;
import dev.tandem.hub.usage.ReportJson;
import dev.tandem.hub.usage.UsageException;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code usage_report}: what Codex and Claude Code used and cost over the last days, the budgets and the rate-limit
 * windows, for an agent that wants to check before a big job. Aggregate numbers only: no session, project, path or
 * prompt leaves the hub through it, and the logs it reports on are the ones the hub is configured with — no argument
 * names a file.
 */
final class UsageReportTool {
    static final String NAME = "usage_report";
    private static final Set<String> ARGUMENTS = Set.of("days", "engine");
    private static final String INPUT_SCHEMA = """
            {"type":"object","properties":{
              "days":{"type":"integer","minimum":1,"maximum":366,
                "description":"Days to report, today included (default 7)."},
              "engine":{"type":"string","enum":["all","codex","claude"],"description":"Default all."}},
             "additionalProperties":false}
            """;
    private static final String OUTPUT_SCHEMA = """
            {"type":"object","properties":{
              "asOf":{"type":["string","null"],"description":"When the hub last read the logs."},
              "timezone":{"type":"string"},"from":{"type":"string"},"to":{"type":"string"},
              "engines":{"type":"object"},"total":{"type":"object"},
              "days":{"type":"array"},"models":{"type":"array"},
              "budgets":{"type":"array"},"rateLimits":{"type":"array"},
              "unpricedModels":{"type":"array","items":{"type":"string"}},
              "damagedResponses":{"type":"integer","description":"Responses not counted: damaged log lines."}},
             "required":["timezone","from","to","engines","total","days","models","budgets","rateLimits"]}
            """;

    private static final Logger LOG = Logger.getLogger(UsageReportTool.class.getName());

    private final Ledger ledger;
    private final Blocks blocks;
    private final Clock clock;

    UsageReportTool(Ledger ledger, Blocks blocks, Clock clock) {
        this.ledger = ledger;
        this.blocks = blocks;
        this.clock = clock;
    }

    McpServerFeatures.SyncToolSpecification specification() {
        return ToolSpecs.declare(
                NAME,
                "Usage report",
                "Returns the tokens and US-dollar cost of Codex CLI and Claude Code over the last days (per day, "
                        + "engine and model), the budgets' state and the engines' rate-limit windows (used percent "
                        + "where the engine logs it; the host each is of when they are of several machines). Check it "
                        + "before a big job.",
                INPUT_SCHEMA,
                OUTPUT_SCHEMA,
                ToolSpecs.READ_ONLY,
                this::call);
    }

    private McpSchema.CallToolResult call(McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        try {
            Map<String, Object> given = request.arguments() == null ? Map.of() : request.arguments();
            for (String name : given.keySet()) {
                if (!ARGUMENTS.contains(name)) {
                    return ToolResults.error("unknown argument '" + name + "': usage_report takes only days and engine"
                            + " (it reports on the logs the hub is configured with)");
                }
            }
            ToolArgs args = ToolArgs.of(request);
            int days = args.integer("days", 7, 1, 366);
            String engine = args.nonBlank("engine").orElse("all");
            LocalDate today = clock.instant().atZone(ledger.zone()).toLocalDate();
            Query q = new Query(engine, Optional.of(today.minusDays(days - 1L)), Optional.of(today), true);
            return ToolResults.structured(report(q));
        } catch (ToolArgs.BadArgument | UsageException e) {
            return ToolResults.error(e.getMessage());
        } catch (StoreException e) {
            // the store's message names its file: the person reads it in the hub's log, the model does not
            LOG.log(Level.WARNING, "usage_report: the usage ledger cannot be read: " + e.getMessage(), e);
            return ToolResults.error("the usage ledger cannot be read right now (the hub's log says why)");
        }
    }

    private Map<String, Object> report(Query q) {
        Report r = ledger.daily(q);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("asOf", r.scannedAt().map(Instant::toString).orElse(null));
        out.put("timezone", r.zone().getId());
        out.put("from", q.since().orElseThrow().toString());
        out.put("to", q.until().orElseThrow().toString());
        Map<String, Object> engines = new LinkedHashMap<>();
        r.totals().engines().forEach((e, a) -> engines.put(e, ReportJson.amount(a)));
        out.put("engines", engines);
        out.put("total", ReportJson.amount(r.totals().total()));
        out.put(
                "days",
                r.rows().stream()
                        .map(row -> {
                            Map<String, Object> day = new LinkedHashMap<>();
                            day.put("date", row.key());
                            Map<String, Object> byEngine = new LinkedHashMap<>();
                            row.engines().forEach((e, a) -> byEngine.put(e, brief(a)));
                            day.put("engines", byEngine);
                            day.putAll(brief(row.total()));
                            return day;
                        })
                        .toList());
        List<Map<String, Object>> models = new ArrayList<>();
        r.totals()
                .models()
                .forEach((e, byModel) -> byModel.forEach((model, a) -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("engine", e);
                    m.put("model", model);
                    m.putAll(brief(a));
                    models.add(m);
                }));
        out.put("models", models);
        out.put("budgets", ReportJson.budgets(r.budgets()));
        Blocks.BlocksReport windows = blocks.report(q);
        // one machine has one host: naming it says nothing; in a fleet's store it says whose window it is
        boolean severalHosts = windows.hosts().size() > 1;
        out.put(
                "rateLimits",
                windows.windows().stream().map(w -> window(w, severalHosts)).toList());
        out.put("unpricedModels", List.copyOf(new java.util.TreeSet<>(r.unpricedModels())));
        out.put("damagedResponses", r.damagedResponses());
        return out;
    }

    private static Map<String, Object> brief(Amount a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("responses", a.responses());
        m.put("totalTokens", a.tokens().total());
        m.put("costUSD", ReportJson.amount(a).get("costUSD"));
        return m;
    }

    private static Map<String, Object> window(Blocks.Window w, boolean withHost) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (withHost) {
            m.put("host", w.host().orElse(null));
        }
        m.put("engine", w.engine());
        m.put("name", w.name());
        m.put("windowMinutes", w.windowMinutes());
        m.put("usedPercent", w.usedPercent().orElse(null));
        m.put("source", w.source());
        m.put("resetsAt", w.resetsAt().map(Instant::toString).orElse(null));
        m.putAll(brief(w.amount()));
        return m;
    }
}
