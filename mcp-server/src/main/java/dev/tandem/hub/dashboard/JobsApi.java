package dev.tandem.hub.dashboard;

import dev.tandem.core.jobs.JobRecord;
import dev.tandem.core.jobs.JobStatus;
import dev.tandem.hub.auth.BearerAuth;
import dev.tandem.hub.jobs.JobException;
import dev.tandem.hub.jobs.JobRequest;
import dev.tandem.hub.jobs.JobService;
import dev.tandem.hub.jobs.JobViews;
import dev.tandem.hub.runs.Approval;
import dev.tandem.hub.runs.Engine;
import dev.tandem.hub.runs.Sandbox;
import dev.tandem.hub.usage.Ledger;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The jobs API under {@code /api/jobs} (docs/jobs.md, "HTTP API"): what {@code tandem jobs} and the dashboard's
 * Jobs view call, behind the same guard as the rest of {@code /api/} (the bearer token, or the dashboard's cookie
 * with the hub's own Origin for changes).
 */
final class JobsApi {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MAX_WAIT_SECONDS = 30;

    private final JobService jobs;
    private final BearerAuth bearer;
    private final Clock clock;
    private final Optional<Ledger> ledger;

    JobsApi(JobService jobs, BearerAuth bearer, Clock clock, Optional<Ledger> ledger) {
        this.jobs = jobs;
        this.bearer = bearer;
        this.clock = clock;
        this.ledger = ledger;
    }

    /**
     * Returns the record as JSON, with {@code ledger}: what the job's session cost by the usage ledger (null when the
     * ledger has read none of its responses yet, or there is no ledger).
     */
    private Map<String, Object> view(JobRecord job) {
        return JobViews.record(job, clock.instant(), ledger);
    }

    /** Returns whether the path belongs to the jobs API. */
    static boolean covers(String path) {
        return path.equals("/api/jobs") || path.startsWith("/api/jobs/");
    }

    void register(HttpRouting.Builder r) {
        r.get("/api/jobs", this::list)
                .post("/api/jobs", this::start)
                .post("/api/jobs/clean", this::clean)
                .get("/api/jobs/{id}", this::status)
                .get("/api/jobs/{id}/output", this::output)
                .get("/api/jobs/{id}/events", this::events)
                .post("/api/jobs/{id}/send", this::send)
                .post("/api/jobs/{id}/approve", this::approve)
                .post("/api/jobs/{id}/kill", this::kill)
                .post("/api/jobs/{id}/resume", this::resume);
    }

    /** Answers a refused job request with the status its reason calls for. */
    static void refused(ServerResponse res, JobException e) {
        Status status = switch (e.reason()) {
            case NOT_FOUND -> Status.NOT_FOUND_404;
            case INVALID -> Status.BAD_REQUEST_400;
            case CONFLICT -> Status.CONFLICT_409;
            case BUSY -> Status.TOO_MANY_REQUESTS_429;
            case UNAVAILABLE -> Status.SERVICE_UNAVAILABLE_503;
        };
        Replies.error(res, status, e.getMessage());
    }

    private void list(ServerRequest req, ServerResponse res) {
        int limit = Params.whole(req, "limit", 50, 1, 500);
        List<JobStatus> statuses = new ArrayList<>();
        for (String s : Params.text(req, "status").map(v -> v.split(",", -1)).orElse(new String[0])) {
            statuses.add(parse(s.strip(), "status", JobStatus::of));
        }
        // ?host=NAME: the newest `limit` jobs run on that host
        Optional<String> host = Params.text(req, "host");
        Replies.ok(
                res,
                Map.of(
                        "jobs",
                        jobs.list(limit, statuses, host).stream()
                                .map(this::view)
                                .toList()));
    }

    private void start(ServerRequest req, ServerResponse res) {
        JsonNode body = body(req);
        JobRequest request = new JobRequest(
                parse(text(body, "engine").orElse("codex"), "engine", Engine::of),
                text(body, "prompt").orElseThrow(() -> new BadRequestException("prompt is required")),
                text(body, "dir"),
                text(body, "model"),
                text(body, "sandbox").map(v -> parse(v, "sandbox", Sandbox::of)),
                text(body, "approval").map(v -> parse(v, "approval", Approval::of)),
                body.path("one_shot").asBoolean(false),
                strings(body, "files"),
                origin(req));
        Replies.json(res, Status.CREATED_201, view(jobs.start(request)));
    }

    private void status(ServerRequest req, ServerResponse res) {
        Replies.ok(res, view(jobs.status(id(req))));
    }

    private void output(ServerRequest req, ServerResponse res) {
        int lines = Params.whole(req, "lines", 100, 1, 10_000);
        String id = id(req);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id);
        out.put("lines", jobs.output(id, lines));
        Replies.ok(res, out);
    }

    private void events(ServerRequest req, ServerResponse res) {
        long after = Params.whole(req, "after", 0, 0, Integer.MAX_VALUE);
        int wait = Params.whole(req, "wait", 0, 0, MAX_WAIT_SECONDS);
        JobService.EventPage page = jobs.events(id(req), after, 500, Duration.ofSeconds(wait));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("events", page.events().stream().map(JobViews::event).toList());
        out.put("job", view(page.job()));
        Replies.ok(res, out);
    }

    private void send(ServerRequest req, ServerResponse res) {
        String message = text(body(req), "message").orElseThrow(() -> new BadRequestException("message is required"));
        Replies.ok(res, view(jobs.send(id(req), message)));
    }

    private void approve(ServerRequest req, ServerResponse res) {
        JsonNode body = body(req);
        String request = text(body, "request_id").orElseThrow(() -> new BadRequestException("request_id is required"));
        JsonNode approve = body.path("approve");
        if (!approve.isBoolean()) {
            throw new BadRequestException("approve must be true or false");
        }
        Replies.ok(res, view(jobs.approve(id(req), request, approve.asBoolean())));
    }

    private void kill(ServerRequest req, ServerResponse res) {
        Replies.ok(res, view(jobs.kill(id(req))));
    }

    private void resume(ServerRequest req, ServerResponse res) {
        Optional<String> message = text(body(req), "message");
        Replies.ok(res, view(jobs.resume(id(req), message)));
    }

    private void clean(ServerRequest req, ServerResponse res) {
        String age = text(body(req), "older_than").orElse("7d");
        Replies.ok(res, Map.of("deleted", jobs.clean(age(age))));
    }

    /** Parses an age such as {@code 30m}, {@code 12h} or {@code 7d}. */
    static Duration age(String text) {
        if (!text.matches("\\d{1,6}[mhd]")) {
            throw new BadRequestException(
                    "older_than must be a number with m, h or d (30m, 12h, 7d), got '" + text + "'");
        }
        long n = Long.parseLong(text.substring(0, text.length() - 1));
        return switch (text.charAt(text.length() - 1)) {
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    private String origin(ServerRequest req) {
        return bearer.accepts(req.headers().first(HeaderNames.AUTHORIZATION)) ? "cli" : "dashboard";
    }

    private static String id(ServerRequest req) {
        return req.path().pathParameters().get("id");
    }

    private static JsonNode body(ServerRequest req) {
        if (!req.content().hasEntity()) {
            return JSON.createObjectNode();
        }
        try {
            JsonNode node = JSON.readTree(req.content().as(byte[].class));
            if (!node.isObject()) {
                throw new BadRequestException("the body must be a JSON object");
            }
            return node;
        } catch (JacksonException e) {
            throw new BadRequestException("the body is not JSON: " + e.getOriginalMessage());
        }
    }

    private static Optional<String> text(JsonNode body, String field) {
        JsonNode v = body.path(field);
        if (v.isMissingNode() || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isString()) {
            throw new BadRequestException(field + " must be a string");
        }
        return Optional.of(v.stringValue()).filter(s -> !s.isBlank());
    }

    private static List<String> strings(JsonNode body, String field) {
        List<String> out = new ArrayList<>();
        JsonNode v = body.path(field);
        if (v.isMissingNode() || v.isNull()) {
            return out;
        }
        if (!v.isArray()) {
            throw new BadRequestException(field + " must be an array of strings");
        }
        for (JsonNode s : v) {
            if (!s.isString()) {
                throw new BadRequestException(field + " must be an array of strings");
            }
            out.add(s.stringValue());
        }
        return out;
    }

    private static <T> T parse(String value, String field, Function<String, T> parser) {
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(field + ": " + e.getMessage());
        }
    }
}
