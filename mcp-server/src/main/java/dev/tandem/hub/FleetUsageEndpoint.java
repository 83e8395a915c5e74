package dev.tandem.hub;

import dev.tandem.core.json.Json;
import dev.tandem.core.store.Store;
import dev.tandem.core.usage.DamagedResponse;
import dev.tandem.core.usage.FileCursor;
import dev.tandem.core.usage.PriceTier;
import dev.tandem.core.usage.RateLimit;
import dev.tandem.core.usage.ScanRecord;
import dev.tandem.core.usage.Tokens;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
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
    /** Text a log gives: no control or format characters (no bidirectional overrides). */
    private static final Pattern TEXT = Pattern.compile("[^\\p{Cntrl}\\p{Cf}]*");
    /** A model's name as the engines log it ({@code gpt-5.1-codex}, {@code claude-opus-4-5}, {@code <synthetic>}). */
    private static final Pattern MODEL = Pattern.compile("[A-Za-z0-9._:@/+<>\\[\\]-]{1,128}");
    /** A rate-limit window's name ({@code primary}, {@code secondary}). */
    private static final Pattern RATE_LIMIT = Pattern.compile("[a-z0-9_]{1,64}");

    /** Pushes written at once, over all hosts: the store's pool serves the hubs' own work too. */
    private static final int WRITERS = 2;

    private final Store store;
    private final String ownHost;
    private final Clock clock;
    private final Semaphore writers = new Semaphore(WRITERS);
    private final Set<String> pushing = ConcurrentHashMap.newKeySet();

    FleetUsageEndpoint(Store store, Clock clock) {
        this.store = store;
        this.ownHost = store.settings().host();
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
        String problem = problem(body.batches(), clock.instant());
        if (problem != null) {
            refuse(res, Status.BAD_REQUEST_400, problem);
            return;
        }
        // one push per host at a time, and few at once over all hosts: a host key cannot hold the store's pool
        if (!pushing.add(host.get())) {
            refuse(res, Status.TOO_MANY_REQUESTS_429, "host " + host.get() + " is pushing already; one at a time");
            return;
        }
        try {
            if (!writers.tryAcquire(10, TimeUnit.SECONDS)) {
                refuse(res, Status.SERVICE_UNAVAILABLE_503, "the fleet hub is writing other hosts' usage; try later");
                return;
            }
            try {
                write(res, host.get(), body);
            } finally {
                writers.release();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            refuse(res, Status.SERVICE_UNAVAILABLE_503, "interrupted");
        } finally {
            pushing.remove(host.get());
        }
    }

    private void write(ServerResponse res, String host, Batches body) {
        Cleaned cleaned = clean(body.batches(), clock.instant());
        if (cleaned.left() > 0) {
            LOG.warning(
                    "usage from host " + host + ": " + cleaned.left() + " rows no engine's log gives were left out ("
                            + cleaned.reason().orElse("") + ")");
        }
        UsageRepository usage = store.usage(host);
        List<Long> keys = new ArrayList<>();
        cleaned.batches().forEach(b -> b.events().forEach(e -> keys.add(e.key())));
        Set<Long> foreign = keys.isEmpty() ? Set.of() : usage.keysOfOtherHosts(keys);
        List<UsageBatch> kept = new ArrayList<>();
        for (UsageBatch b : cleaned.batches()) {
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
                                    b.toolUses(),
                                    b.damaged()));
        }
        if (!foreign.isEmpty()) {
            LOG.warning("usage from host " + host + ": " + foreign.size()
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
        out.put("invalid", cleaned.left());
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
    private Optional<String> host(ServerRequest req, ServerResponse res) {
        Optional<Credential> credential = req.context().get(Credential.class);
        if (credential.isPresent()
                && credential.get().host().isPresent()
                && credential.get().name().equals("host")) {
            if (credential.get().host().get().equals(ownHost)) {
                // the hub reads its own machine's logs under this name: a host of the same name must not move them
                refuse(
                        res,
                        Status.CONFLICT_409,
                        "host " + ownHost + " is also the fleet hub's own name ([memory] host): its usage is the"
                                + " hub's to read; give the machine another name (tandem fleet host add)");
                return Optional.empty();
            }
            return credential.get().host();
        }
        refuse(
                res,
                Status.FORBIDDEN_403,
                "only an enrolled host's own key sends usage to the fleet (~/.tandem/fleet/host.key on that machine;"
                        + " tandem fleet push-usage)");
        return Optional.empty();
    }

    /**
     * Returns what is wrong with {@code batches}, or null: the limits, text a log may hold, and numbers and times a
     * log can give (a token count no response reaches, a time before 2020 or after tomorrow is no log's).
     */
    static String problem(List<UsageBatch> batches, Instant now) {
        if (batches.size() > MAX_BATCHES) {
            return "at most " + MAX_BATCHES + " batches per request, got " + batches.size();
        }
        Instant earliest = Instant.parse("2020-01-01T00:00:00Z");
        Instant latest = now.plus(Duration.ofDays(1));
        int events = 0;
        for (int i = 0; i < batches.size(); i++) {
            UsageBatch b = batches.get(i);
            String at = "batches[" + i + "]";
            events += b.responses();
            if (events > MAX_EVENTS) {
                return "at most " + MAX_EVENTS + " events per request (damaged responses included)";
            }
            for (FileCursor c : b.from().map(f -> List.of(f, b.to())).orElse(List.of(b.to()))) {
                if (c.path().isEmpty()
                        || !text(c.path(), 4096)
                        || !text(c.fileKey(), 256)
                        || !text(c.headHash(), 256)) {
                    return at + ": a cursor's path, file key or head hash is not 1-4096 printable characters";
                }
                if (c.state().length() > 65_536 || !engine(c.engine()) || !within(c.readAt(), earliest, latest)) {
                    return at + ": a cursor's state, engine or read time is not valid";
                }
            }
            if (b.from().isPresent() && !b.from().get().path().equals(b.to().path())) {
                return at + ": from and to name different logs";
            }
        }
        return null;
    }

    /**
     * What a request writes once the rows no log gives are left out, how many were, and why the first was: a row the
     * hub would not store is dropped, not the whole push, so one odd line cannot stop a host's pushes for good.
     */
    record Cleaned(List<UsageBatch> batches, int left, Optional<String> reason) {}

    /** Returns {@code batches} without the events, rate limits and tool calls no engine's log gives. */
    static Cleaned clean(List<UsageBatch> batches, Instant now) {
        Instant earliest = Instant.parse("2020-01-01T00:00:00Z");
        Instant latest = now.plus(Duration.ofDays(1));
        List<UsageBatch> out = new ArrayList<>();
        int left = 0;
        String first = null;
        for (int i = 0; i < batches.size(); i++) {
            UsageBatch b = batches.get(i);
            String at = "batches[" + i + "]: ";
            List<UsageEvent> events = new ArrayList<>();
            for (UsageEvent e : b.events()) {
                String why = problem(e, earliest, latest);
                if (why == null) {
                    events.add(e);
                } else {
                    left++;
                    first = first == null ? at + why : first;
                }
            }
            List<RateLimit> limits = new ArrayList<>();
            for (RateLimit l : b.limits()) {
                if (valid(l, earliest, latest)) {
                    limits.add(l);
                } else {
                    left++;
                    first = first == null
                            ? at + "a rate limit's engine, name, used_percent, window or times are not valid"
                            : first;
                }
            }
            List<ToolUse> uses = new ArrayList<>();
            for (ToolUse u : b.toolUses()) {
                if (valid(u, earliest, latest)) {
                    uses.add(u);
                } else {
                    left++;
                    first = first == null ? at + "a tool call's engine, id, session, tool or time is not valid" : first;
                }
            }
            List<DamagedResponse> damaged = new ArrayList<>();
            for (DamagedResponse d : b.damaged()) {
                if (within(d.at(), earliest, latest)) {
                    damaged.add(d);
                } else {
                    left++;
                    first = first == null ? at + "a damaged response's time is not valid" : first;
                }
            }
            boolean whole = events.size() == b.events().size()
                    && limits.size() == b.limits().size()
                    && uses.size() == b.toolUses().size()
                    && damaged.size() == b.damaged().size();
            out.add(whole ? b : new UsageBatch(b.from(), b.to(), events, limits, uses, damaged));
        }
        return new Cleaned(out, left, Optional.ofNullable(first));
    }

    private static boolean valid(RateLimit l, Instant earliest, Instant latest) {
        return engine(l.engine())
                && RATE_LIMIT.matcher(l.name()).matches()
                && l.usedPercent() >= 0
                && l.usedPercent() <= 1000
                && l.windowMinutes() >= 0
                && l.windowMinutes() <= 527_040
                && within(l.observedAt(), earliest, latest)
                && l.resetsAt()
                        .map(r -> within(r, earliest, latest.plus(Duration.ofDays(400))))
                        .orElse(true);
    }

    private static boolean valid(ToolUse u, Instant earliest, Instant latest) {
        return engine(u.engine())
                && text(u.callId(), 256)
                && text(u.session(), 256)
                && text(u.tool(), 256)
                && within(u.at(), earliest, latest);
    }

    private static String problem(UsageEvent e, Instant earliest, Instant latest) {
        if (!text(e.session(), 256) || !text(e.project(), 4096)) {
            return "an event's session or project is not printable text (session up to 256, project 4096)";
        }
        if (!MODEL.matcher(e.model()).matches()) {
            return "an event's model is not a model's name: " + e.model().length() + " characters";
        }
        if (!within(e.at(), earliest, latest) || e.tier() < 0 || e.tier() > 2 * PriceTier.FAST) {
            return "an event's time or price tier is not valid";
        }
        Tokens t = e.tokens();
        for (long n :
                new long[] {t.input(), t.cacheRead(), t.cacheWrite5m(), t.cacheWrite1h(), t.output(), t.reasoning()}) {
            // the bound the log readers hold to: what a machine read is never left out here
            if (n > Tokens.MAX_PER_RESPONSE) {
                return "an event's token count " + n + " is more than any response uses (" + Tokens.MAX_PER_RESPONSE
                        + ")";
            }
        }
        return null;
    }

    private static boolean engine(String engine) {
        return engine.equals("codex") || engine.equals("claude");
    }

    private static boolean within(Instant t, Instant from, Instant to) {
        return !t.isBefore(from) && !t.isAfter(to);
    }

    /** Returns whether {@code t} is text a log can give, at most {@code max} characters (empty is some logs'). */
    private static boolean text(String t, int max) {
        return t.length() <= max && TEXT.matcher(t).matches();
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
