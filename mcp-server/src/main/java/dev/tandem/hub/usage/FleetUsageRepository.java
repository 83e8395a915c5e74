package dev.tandem.hub.usage;

import dev.tandem.core.json.Json;
import dev.tandem.core.usage.DamagedCount;
import dev.tandem.core.usage.FileCursor;
import dev.tandem.core.usage.HubCalls;
import dev.tandem.core.usage.RateLimit;
import dev.tandem.core.usage.Rollup;
import dev.tandem.core.usage.ScanRecord;
import dev.tandem.core.usage.SessionTag;
import dev.tandem.core.usage.TaggedUsage;
import dev.tandem.core.usage.UsageBatch;
import dev.tandem.core.usage.UsageRepository;
import dev.tandem.sync.runtime.FleetSource;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The usage ledger of this machine as the fleet hub keeps it: the cursors and writes of a {@link UsageScanner} go to
 * the hub's {@code /api/fleet/usage} with this machine's host key, so an enrolled machine that runs no hub of its own
 * adds its engines' usage to the fleet's (tandem fleet push-usage). The hub records the rows under the host the key
 * belongs to. Only what the scanner needs is here; reports are the hub's.
 */
public final class FleetUsageRepository implements UsageRepository {
    static final String API = "/api/fleet/usage";
    /** A request's body stays well below the hub's default limit (4 MiB). */
    private static final int MAX_REQUEST_BYTES = 1 << 20;

    private static final int MAX_BATCHES = 2000;
    private static final int MAX_EVENTS = 20_000;
    private static final JsonMapper JSON = Json.mapper();

    private final FleetSource hub;
    private String host = "";
    private long sentEvents;
    private long sentDamaged;
    private long sentBatches;

    public FleetUsageRepository(FleetSource hub) {
        this.hub = hub;
    }

    /** Returns the responses sent so far, whether the hub had them already or not; damaged ones not among them. */
    public long sentEvents() {
        return sentEvents;
    }

    /** Returns the damaged responses sent so far (the hub counts them as left out, not in its ledger). */
    public long sentDamaged() {
        return sentDamaged;
    }

    /** Returns the batches (read stretches of one log) the hub took. */
    public long sentBatches() {
        return sentBatches;
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public Map<String, FileCursor> cursors() {
        JsonNode answer = read(hub.get(API + "/cursors", 256L << 20), "/cursors");
        host = answer.path("host").asString("");
        Map<String, FileCursor> out = new LinkedHashMap<>();
        for (JsonNode c : answer.path("cursors")) {
            FileCursor cursor = JSON.treeToValue(c, FileCursor.class);
            out.put(cursor.path(), cursor);
        }
        return out;
    }

    @Override
    public List<UsageBatch> apply(List<UsageBatch> batches) {
        List<UsageBatch> refused = new ArrayList<>();
        List<UsageBatch> part = new ArrayList<>();
        List<byte[]> encoded = new ArrayList<>();
        int bytes = 0;
        int events = 0;
        for (UsageBatch b : batches) {
            byte[] one = JSON.writeValueAsBytes(b);
            if (!part.isEmpty()
                    && (bytes + one.length > MAX_REQUEST_BYTES
                            || part.size() == MAX_BATCHES
                            || events + b.responses() > MAX_EVENTS)) {
                refused.addAll(send(part, encoded));
                part.clear();
                encoded.clear();
                bytes = 0;
                events = 0;
            }
            part.add(b);
            encoded.add(one);
            bytes += one.length + 1;
            events += b.responses(); // damaged ones included, as the hub counts its limit
        }
        if (!part.isEmpty()) {
            refused.addAll(send(part, encoded));
        }
        return refused;
    }

    private List<UsageBatch> send(List<UsageBatch> part, List<byte[]> encoded) {
        int size = 16;
        for (byte[] e : encoded) {
            size += e.length + 1;
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(size);
        body.writeBytes("{\"batches\":[".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < encoded.size(); i++) {
            if (i > 0) {
                body.write(',');
            }
            body.writeBytes(encoded.get(i));
        }
        body.writeBytes("]}".getBytes(StandardCharsets.US_ASCII));
        JsonNode answer = read(hub.post(API + "/batches", body.toByteArray(), 1L << 20), "/batches");
        List<UsageBatch> refused = new ArrayList<>();
        for (JsonNode i : answer.path("refused")) {
            int index = i.asInt(-1);
            if (index < 0 || index >= part.size()) {
                throw new UsageException(hub.where() + API + "/batches: the answer names no batch sent (" + i + ")");
            }
            refused.add(part.get(index));
        }
        for (UsageBatch b : part) {
            sentEvents += b.events().size();
            sentDamaged += b.damaged().size();
        }
        sentBatches += part.size() - refused.size();
        return refused;
    }

    @Override
    public void scanned(ScanRecord scan) {
        Map<String, Long> body = Map.of("files", scan.files(), "bytes", scan.bytes());
        hub.post(API + "/scanned", JSON.writeValueAsBytes(body), 4096);
    }

    private JsonNode read(byte[] body, String what) {
        try {
            return JSON.readTree(body);
        } catch (JacksonException e) {
            throw new UsageException(hub.where() + API + what + ": not the fleet's answer: " + e.getOriginalMessage());
        }
    }

    private static UnsupportedOperationException reportsAreTheHubs() {
        return new UnsupportedOperationException("the fleet hub reports the usage it holds: tandem usage on that hub");
    }

    @Override
    public List<ScanRecord> scans() {
        throw reportsAreTheHubs();
    }

    @Override
    public void rollups(Instant from, Instant to, Consumer<Rollup> sink) {
        throw reportsAreTheHubs();
    }

    @Override
    public List<DamagedCount> damaged(Instant from, Instant to) {
        throw reportsAreTheHubs();
    }

    @Override
    public List<RateLimit> rateLimits() {
        throw reportsAreTheHubs();
    }

    @Override
    public List<HubCalls> hubCalls(Instant from, Instant to) {
        throw reportsAreTheHubs();
    }

    @Override
    public void tag(SessionTag tag) {
        throw reportsAreTheHubs();
    }

    @Override
    public List<TaggedUsage> tagged(String kind) {
        throw reportsAreTheHubs();
    }

    @Override
    public List<TaggedUsage> usage(SessionTag tag) {
        throw reportsAreTheHubs();
    }

    @Override
    public Set<Long> keysOfOtherHosts(Collection<Long> keys) {
        throw reportsAreTheHubs();
    }
}
