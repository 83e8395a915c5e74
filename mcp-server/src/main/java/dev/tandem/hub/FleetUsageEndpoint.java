package dev.tandem.hub;

import dev.tandem.core.json.Json;
import dev.tandem.core.store.Store;
import dev.tandem.core.usage.FileCursor;
import dev.tandem.core.usage.RateLimit;
import dev.tandem.core.usage.ScanRecord;
import dev.tandem.core.usage.ToolUse;
import dev.tandem.core.usage.UsageBatch;
import dev.tandem.core.usage.UsageEvent;
import dev.tandem.core.usage.UsageRepository;
import dev.tandem.hub.auth.Credential;
import dev.tandem.hub.http.GuardedArea;
import dev.tandem.hub.http.HubFeature;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where an enrolled machine that runs no hub sends the usage it read from its own engines' logs ({@code tandem fleet
 * push-usage}; docs/fleet.md, "Usage of every machine"), behind that host's own key only: the rows are recorded under
 * the host the key belongs to, never a name the request gives, with the same cursors and idempotent writes as a
 * hub's own reader, so a repeated or interrupted push counts nothing twice.
 *
 * <ul>
 *   <li>{@code GET /api/fleet/usage/cursors}: {@code {"host", "cursors": [FileCursor]}}, where reading stopped in
 *       each of the host's logs;
 *   <li>{@code POST /api/fleet/usage/batches} {@code {"batches": [UsageBatch]}}: written as {@link
 *       UsageRepository#apply} writes them; answers {@code {"refused": [index], "dropped": n}}: the batches whose
 *       starting cursor was no longer the stored one, and the events left out because another host's logs gave
 *       their response first;
 *   <li>{@code POST /api/fleet/usage/scanned} {@code {"files", "bytes"}}: when the host last read its logs.
 * </ul>
 */
final class FleetUsageEndpoint implements HubFeature {
    static final String PATH = "/api/fleet/usage";
    /** Batches per request: a push sends many requests rather than one without bound. */
    static final int MAX_BATCHES = 2000;
    /** Events per request, over all its batches. */
    static final int MAX_EVENTS = 20_000;

    private static final Logger LOG = Logger.getLogger(FleetUsageEndpoint.class.getName());
    private static final JsonMapper JSON = Json.mapper();
    /** A log's path as a reader records it: printable, bounded. */
    private static final Pattern TEXT = Pattern.compile("[^\\p{Cntrl}]{0,4096}");

    private final Store store;
    private final Clock clock;

    FleetUsageEndpoint(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** The body of {@code POST …/batches}. */
    record Batches(List<UsageBatch> batches) {
        Batches {
            batches = batches == null ? List.of() : List.copyOf(batches);
        }
    }

    /** The body of {@code POST …/scanned}. */
    record Scanned(long files, long bytes) {}

    @Override
    public GuardedArea area() {
        return FleetClientsEndpoint.bearerOnly(PATH);
    }

    @Override
    public void routes(HttpRouting.Builder routing) {
        routing.get(PATH + "/cursors", this::cursors)
                .post(PATH + "/batches", this::batches)
                .post(PATH + "/scanned", this::scanned);
    }

    private void cursors(ServerRequest req, ServerResponse res) {
        Optional<String> host = host(req, res);
        if (host.isEmpty()) {
            return;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("host", host.get());
        out.put("cursors", List.copyOf(store.usage(host.get()).cursors().values()));
        json(res, out);
    }

    private void batches(ServerRequest req, ServerResponse res) {
        Optional<String> host = host(req, res);
        if (host.isEmpty()) {
            return;
        }
        Batches body;
        try {
            body = JSON.readValue(req.content().as(byte[].class), Batches.class);
        } catch (JacksonException e) {
            refuse(res, Status.BAD_REQUEST_400, "the batches cannot be read: " + e.getOriginalMessage());
            return;
        }
        String problem = problem(body.batches());
        if (problem != null) {
            refuse(res, Status.BAD_REQUEST_400, problem);
            return;
        }
        UsageRepository usage = store.usage(host.get());
        List<Long> keys = new ArrayList<>();
        body.batches().forEach(b -> b.events().forEach(e -> keys.add(e.key())));
        Set<Long> foreign = keys.isEmpty() ? Set.of() : usage.keysOfOtherHosts(keys);
        List<UsageBatch> kept = new ArrayList<>();
        for (UsageBatch b : body.batches()) {
            kept.add(
                    foreign.isEmpty()
                            ? b
                            : new UsageBatch(
                                    b.from(),
                                    b.to(),
                                    b.events().stream()
                                            .filter(e -> !foreign.contains(e.key()))
                                            .toList(),
                                    b.limits(),
                                    b.toolUses()));
        }
        if (!foreign.isEmpty()) {
            LOG.warning("usage from host " + host.get() + ": " + foreign.size()
                    + " responses were already read on another host; left out");
        }
        Set<UsageBatch> refused = Collections.newSetFromMap(new IdentityHashMap<>());
        refused.addAll(usage.apply(kept));
        List<Integer> indices = new ArrayList<>();
        for (int i = 0; i < kept.size(); i++) {
            if (refused.contains(kept.get(i))) {
                indices.add(i);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("refused", indices);
        out.put("dropped", foreign.size());
        json(res, out);
    }

    private void scanned(ServerRequest req, ServerResponse res) {
        Optional<String> host = host(req, res);
        if (host.isEmpty()) {
            return;
        }
        Scanned body;
        try {
            body = JSON.readValue(req.content().as(byte[].class), Scanned.class);
        } catch (JacksonException e) {
            refuse(res, Status.BAD_REQUEST_400, "the scan record cannot be read: " + e.getOriginalMessage());
            return;
        }
        if (body.files() < 0 || body.bytes() < 0) {
            refuse(res, Status.BAD_REQUEST_400, "files and bytes must not be negative");
            return;
        }
        store.usage(host.get()).scanned(new ScanRecord(host.get(), clock.instant(), body.files(), body.bytes()));
        res.status(Status.NO_CONTENT_204);
        res.send();
    }

    /**
     * Returns the enrolled host whose own key made the request; else answers 403 and returns empty. An engine's key
     * is refused: the agents hold those, and an agent must not write its machine's ledger.
     */
    private static Optional<String> host(ServerRequest req, ServerResponse res) {
        Optional<Credential> credential = req.context().get(Credential.class);
        if (credential.isPresent()
                && credential.get().host().isPresent()
                && credential.get().name().equals("host")) {
            return credential.get().host();
        }
        refuse(
                res,
                Status.FORBIDDEN_403,
                "only an enrolled host's own key sends usage to the fleet (~/.tandem/fleet/host.key on that machine;"
                        + " tandem fleet push-usage)");
        return Optional.empty();
    }

    /** Returns what is wrong with {@code batches}, or null: the limits, and text a log path may hold. */
    private static String problem(List<UsageBatch> batches) {
        if (batches.size() > MAX_BATCHES) {
            return "at most " + MAX_BATCHES + " batches per request, got " + batches.size();
        }
        int events = 0;
        for (int i = 0; i < batches.size(); i++) {
            UsageBatch b = batches.get(i);
            events += b.events().size();
            for (FileCursor c : b.from().map(f -> List.of(f, b.to())).orElse(List.of(b.to()))) {
                if (!TEXT.matcher(c.path()).matches() || c.path().isEmpty()) {
                    return "batches[" + i + "]: the log's path must be 1-4096 printable characters";
                }
                if (!c.engine().equals("codex") && !c.engine().equals("claude")) {
                    return "batches[" + i + "]: engine must be codex or claude, got " + c.engine();
                }
            }
            if (b.from().isPresent() && !b.from().get().path().equals(b.to().path())) {
                return "batches[" + i + "]: from and to name different logs";
            }
            for (UsageEvent e : b.events()) {
                if (!printable(e.session(), e.project(), e.model())) {
                    return "batches[" + i + "]: an event's session, project or model is not printable text";
                }
            }
            for (RateLimit l : b.limits()) {
                if (!printable(l.engine(), l.name()) || !Double.isFinite(l.usedPercent())) {
                    return "batches[" + i + "]: a rate limit's engine, name or used_percent is not valid";
                }
            }
            for (ToolUse u : b.toolUses()) {
                if (!printable(u.engine(), u.callId(), u.session(), u.tool())) {
                    return "batches[" + i + "]: a tool call's engine, id, session or tool is not printable text";
                }
            }
        }
        if (events > MAX_EVENTS) {
            return "at most " + MAX_EVENTS + " events per request, got " + events;
        }
        return null;
    }

    private static boolean printable(String... texts) {
        for (String t : texts) {
            if (!TEXT.matcher(t).matches()) {
                return false;
            }
        }
        return true;
    }

    private static void json(ServerResponse res, Object out) {
        res.status(Status.OK_200);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(JSON.writeValueAsBytes(out));
    }

    private static void refuse(ServerResponse res, Status status, String why) {
        FleetClientsEndpoint.refuse(res, status, why);
    }
}
