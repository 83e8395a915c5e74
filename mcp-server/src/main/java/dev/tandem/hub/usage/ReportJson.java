package dev.tandem.hub.usage;

import dev.tandem.core.usage.HubCalls;
import dev.tandem.core.usage.Tokens;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The reports as JSON values (maps, lists, strings, numbers): {@code tandem usage … --json} and the dashboard's
 * {@code /api/usage}. The shape is versioned ({@value #VERSION}) and documented in docs/usage.md; fields are only
 * ever added.
 */
public final class ReportJson {
    /** The version of the shape, in every report's {@code version}. */
    public static final int VERSION = 1;

    private ReportJson() {}

    /** Returns a daily, monthly, session or project report. */
    public static Map<String, Object> of(Report r) {
        Map<String, Object> out = head(r.kind(), r.query(), r.zone().getId());
        out.put("rows", r.rows().stream().map(ReportJson::row).toList());
        Map<String, Object> totals = new LinkedHashMap<>();
        totals.put("engines", engines(r.totals()));
        totals.put("total", amount(r.totals().total()));
        out.put("totals", totals);
        out.put("unpricedModels", new TreeSet<>(r.unpricedModels()));
        out.put("damagedResponses", r.damagedResponses());
        out.put("budgets", budgets(r.budgets()));
        out.put("hosts", new TreeSet<>(r.hosts()));
        out.put("scannedAt", r.scannedAt().map(Instant::toString).orElse(null));
        out.put("pricesAsOf", r.pricesAsOf());
        return out;
    }

    /** Returns a blocks report. */
    public static Map<String, Object> of(Blocks.BlocksReport r, String zone) {
        Map<String, Object> out = head("blocks", r.query(), zone);
        out.put(
                "blocks",
                r.blocks().stream()
                        .map(b -> {
                            Map<String, Object> m = new LinkedHashMap<>();
                            m.put("engine", b.engine());
                            m.put("start", b.start().toString());
                            m.put("end", b.end().toString());
                            m.put("lastActivity", b.lastActivity().toString());
                            m.put("active", b.active());
                            m.putAll(amount(b.amount()));
                            return m;
                        })
                        .toList());
        out.put("windows", r.windows().stream().map(ReportJson::window).toList());
        out.put("unpricedModels", new TreeSet<>(r.unpricedModels()));
        out.put("damagedResponses", r.damagedResponses());
        return out;
    }

    static Map<String, Object> window(Blocks.Window w) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("engine", w.engine());
        m.put("host", w.host().orElse(null));
        m.put("hostScope", w.scope().wireName());
        m.put("name", w.name());
        m.put("windowMinutes", w.windowMinutes());
        m.put("usedPercent", w.usedPercent().orElse(null));
        m.put("source", w.source());
        m.put("start", w.start().toString());
        m.put("resetsAt", w.resetsAt().map(Instant::toString).orElse(null));
        m.put("observedAt", w.observedAt().map(Instant::toString).orElse(null));
        m.putAll(amount(w.amount()));
        return m;
    }

    private static Map<String, Object> head(String kind, Query q, String zone) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("report", kind);
        out.put("version", VERSION);
        out.put("timezone", zone);
        out.put("engine", q.engine());
        out.put("since", q.since().map(Object::toString).orElse(null));
        out.put("until", q.until().map(Object::toString).orElse(null));
        q.host().ifPresent(h -> out.put("host", h));
        out.put("currency", "USD");
        return out;
    }

    /** Returns one row of a report. */
    public static Map<String, Object> row(Row row) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", row.key());
        m.putAll(row.labels());
        m.put("engines", engines(row));
        m.put("total", amount(row.total()));
        if (!row.hubCalls().isEmpty() || row.labels().containsKey("session")) {
            m.put("hubCalls", row.hubCalls().stream().map(ReportJson::hubCall).toList());
        }
        return m;
    }

    private static Map<String, Object> hubCall(HubCalls c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tool", c.tool());
        m.put("calls", c.calls());
        m.put("errors", c.errors());
        return m;
    }

    private static Map<String, Object> engines(Row row) {
        Map<String, Object> out = new LinkedHashMap<>();
        row.engines().forEach((engine, a) -> {
            Map<String, Object> m = amount(a);
            Map<String, Amount> models = row.models().get(engine);
            if (models != null) {
                Map<String, Object> byModel = new LinkedHashMap<>();
                models.forEach((model, ma) -> byModel.put(model, amount(ma)));
                m.put("models", byModel);
            }
            out.put(engine, m);
        });
        return out;
    }

    /** Returns an amount: tokens by kind, responses and cost. */
    public static Map<String, Object> amount(Amount a) {
        Tokens t = a.tokens();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("responses", a.responses());
        m.put("inputTokens", t.input());
        m.put("cacheReadTokens", t.cacheRead());
        m.put("cacheWriteTokens", t.cacheWrite());
        m.put("cacheWrite1hTokens", t.cacheWrite1h());
        m.put("outputTokens", t.output());
        m.put("reasoningTokens", t.reasoning());
        m.put("totalTokens", t.total());
        m.put("costUSD", dollars(a.costUsd()));
        m.put("unpricedResponses", a.unpricedResponses());
        return m;
    }

    /** Returns the budgets' states. */
    public static List<Map<String, Object>> budgets(List<BudgetStatus> budgets) {
        return budgets.stream()
                .map(b -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("engine", b.budget().engine());
                    m.put("period", b.budget().period().wireName());
                    m.put("periodKey", b.periodKey());
                    m.put("limitUSD", dollars(b.budget().limitUsd()));
                    m.put("spentUSD", dollars(b.spentUsd()));
                    m.put("percent", Math.round(b.share() * 1000) / 10.0);
                    m.put("level", b.level().wireName());
                    m.put("unpricedResponses", b.unpricedResponses());
                    return m;
                })
                .toList();
    }

    /** Rounds to a millionth of a dollar, so sums print without binary noise. */
    static double dollars(double usd) {
        return Math.round(usd * 1_000_000) / 1_000_000.0;
    }
}
