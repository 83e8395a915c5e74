package dev.tandem.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.config.HubRuntime;
import dev.tandem.hub.cli.HubUsage;
import dev.tandem.hub.jobs.RealClis;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code tandem usage} answered by the running hub: {@code bin/usage-via-hub} (what {@code bin/tandem} runs before it
 * would start a JVM) with the real {@code curl} against a real hub on loopback, compared byte for byte with the same
 * command run in process on the same logs and store; the token never in a process's arguments.
 */
class UsageViaHubTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Path CLIENT = RealClis.ROOT.resolve("bin/usage-via-hub");

    @TempDir
    Path dir;

    /** The client needs curl; a machine without it falls back to the JVM (bin/tandem), which other tests cover. */
    private static void requireCurl() {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")), "no /usr/bin/curl");
    }

    private record Run(int exit, String out, String err) {
        /** The same, without when the logs were last read: two runs read them at two moments. */
        Run withoutReadTime() {
            return new Run(
                    exit,
                    out.replaceAll("\"scannedAt\" : \"[^\"]*\"", "\"scannedAt\" : \"T\"")
                            .replaceAll("logs read [0-9T:.Z-]+", "logs read T"),
                    err);
        }
    }

    private Path home() {
        return dir.resolve("home");
    }

    /** A hub on the logs of the real CLIs (moved to today), recorded as running where bin/tandem looks for it. */
    private TestHub hub(String usageToml) throws IOException {
        Path home = home();
        UsageHubTest.place(
                "codex-0.169.0-rollout-full-then-resumed.jsonl",
                home.resolve(".codex/sessions/2026/12/06/rollout-2026-12-06T09-47-36-" + UsageHubTest.CODEX_SESSION
                        + ".jsonl"));
        UsageHubTest.place(
                "claude-2.1.329-project-log-full.jsonl",
                home.resolve(".claude/projects/-p/" + UsageHubTest.CLAUDE_SESSION + ".jsonl"));
        UsageHubTest.place(
                "claude-2.1.329-project-log-priced-sonnet.jsonl", home.resolve(".claude/projects/-p/priced.jsonl"));
        // a long poll interval: only a round asked for by a command can read what is appended later
        TestHub hub = TestHub.start(
                dir, "[memory]\nhost = \"box\"\n[usage]\ntimezone = \"UTC\"\npoll_seconds = 86400\n" + usageToml, null);
        HubRuntime.write(hub.config().layout(), hub.hub().url(), "", hub.hub().usageKeys());
        return hub;
    }

    /**
     * Runs the client as bin/tandem does, in a clean environment whose PATH puts a recording {@code curl} first: it
     * writes the arguments it was given (what {@code ps} shows) to a file, then runs the real curl.
     */
    private Run viaHub(String... args) throws IOException, InterruptedException {
        return viaHub("/bin/sh", Map.of(), args);
    }

    /** The same with another shell and more variables. */
    private Run viaHub(String shell, Map<String, String> env, String... args) throws IOException, InterruptedException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path argv = dir.resolve("curl-argv");
        Path curl = bin.resolve("curl");
        Files.writeString(
                curl,
                "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\" >> '" + argv
                        + "'; done\nexec /usr/bin/curl \"$@\"\n");
        curl.toFile().setExecutable(true, true);
        List<String> cmd = new ArrayList<>(List.of(shell, "-c", ". \"$0\"; usage_via_hub \"$@\"", CLIENT.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().clear();
        pb.environment().putAll(Map.of("HOME", home().toString(), "PATH", bin + ":/usr/bin:/bin"));
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        return new Run(p.waitFor(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    /** The same command in this process, as {@code java -jar tandem-hub.jar usage ...} runs it, on the same store. */
    private Run inProcess(TestHub hub, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of("usage"));
        all.addAll(List.of(args));
        all.addAll(List.of(
                "--config",
                home().resolve(".tandem/hub.toml").toString(),
                "--data-dir",
                hub.config().dataDir().toString()));
        int exit = cl.execute(all.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void theHubsAnswerIsByteForByteTheCommandsOwnJsonAndTables() throws Exception {
        requireCurl();
        try (TestHub hub = hub("daily_usd = 0.05\n")) {
            for (List<String> args : List.of(
                    List.of("daily", "--json"),
                    List.of("daily", "--json", "--breakdown", "model", "--engine", "claude"),
                    List.of("daily"),
                    List.of("monthly", "--breakdown", "model"),
                    List.of("daily", "--json", "--timezone", "Europe/Berlin"))) {
                Run hubs = viaHub(args.toArray(String[]::new));
                Run own = inProcess(hub, args.toArray(String[]::new));
                assertEquals(0, hubs.exit(), args + ": " + hubs.err());
                assertEquals(own.withoutReadTime(), hubs.withoutReadTime(), args.toString());
            }
            // blocks: the same report (its rolling windows start at "now", so the two runs differ there)
            Run blocks = viaHub("blocks", "--json");
            assertEquals(0, blocks.exit(), blocks.toString());
            assertEquals(
                    JSON.readTree(inProcess(hub, "blocks", "--json").out())
                            .path("blocks")
                            .toString(),
                    JSON.readTree(blocks.out()).path("blocks").toString());
            // the answer holds both engines' responses of the logs
            assertEquals(
                    5 + 4 + 1,
                    JSON.readTree(viaHub("daily", "--json").out())
                            .path("totals")
                            .path("total")
                            .path("responses")
                            .asInt());
        }
    }

    /**
     * The hub reuses its command trees from answer to answer: no option, no declined command and no failure of one
     * answer shows in the next.
     */
    @Test
    void anAnswerKeepsNothingOfTheAnswersBeforeIt() throws Exception {
        requireCurl();
        try (TestHub hub = hub("daily_usd = 0.05\n")) {
            Run narrow = viaHub(
                    "daily",
                    "--json",
                    "--engine",
                    "claude",
                    "--breakdown",
                    "model",
                    "--since",
                    "20260101",
                    "--no-scan");
            assertEquals(0, narrow.exit(), narrow.toString());
            assertEquals(
                    inProcess(hub, "daily", "--json").withoutReadTime(),
                    viaHub("daily", "--json").withoutReadTime());
            assertEquals(
                    125,
                    viaHub("daily", "--data-dir", dir.resolve("other").toString())
                            .exit());
            assertEquals(2, viaHub("daily", "--until", "never").exit());
            assertEquals(1, viaHub("--check").exit());
            Run table = viaHub("daily");
            assertEquals(0, table.exit(), table.toString());
            assertEquals(inProcess(hub, "daily").withoutReadTime(), table.withoutReadTime());
        }
    }

    /**
     * The client splits the answer into standard output and error by its byte count with the shell alone: the same
     * bytes under bash in a UTF-8 locale (where the shell counts characters) as under dash, text beyond ASCII too.
     */
    @Test
    void bashInAUtf8LocaleGetsTheSameBytesAsDash() throws Exception {
        requireCurl();
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "no /bin/bash");
        try (TestHub hub = hub("daily_usd = 0.05\n")) {
            Map<String, String> utf8 = Map.of("LANG", "C.UTF-8", "LC_ALL", "C.UTF-8");
            for (List<String> args : List.of(
                    List.of("daily", "--json"),
                    List.of("daily"),
                    List.of("--check"),
                    List.of("daily", "--since", "h\u00e9llo \u2713"),
                    List.of("monthly", "--breakdown", "\u00e9t\u00e9"))) {
                String[] a = args.toArray(String[]::new);
                Run bash = viaHub("/bin/bash", utf8, a);
                Run dash = viaHub("/bin/sh", Map.of(), a);
                assertEquals(dash.withoutReadTime(), bash.withoutReadTime(), args.toString());
                assertEquals(inProcess(hub, a).withoutReadTime(), bash.withoutReadTime(), args.toString());
            }
            Run bad = viaHub("/bin/bash", utf8, "daily", "--since", "h\u00e9llo \u2713");
            assertTrue(bad.err().contains("h\u00e9llo \u2713"), bad.err());
            assertEquals("", bad.out());
        }
    }

    @Test
    void checkExitsOneOverBudgetAndErrorsGoToStandardErrorAsWithoutTheHub() throws Exception {
        requireCurl();
        try (TestHub hub = hub("daily_usd = 0.05\n")) {
            Run over = viaHub("--check");
            assertEquals(1, over.exit(), over.toString());
            assertEquals(inProcess(hub, "--check").withoutReadTime(), over.withoutReadTime());
            Run bad = viaHub("daily", "--since", "yesterday");
            assertEquals(2, bad.exit(), bad.toString());
            assertEquals("", bad.out());
            assertTrue(bad.err().contains("--since yesterday"), bad.err());
            assertEquals(inProcess(hub, "daily", "--since", "yesterday"), bad);
        }
    }

    @Test
    void theAnswerIncludesWhatWasAppendedJustBeforeTheCommand() throws Exception {
        requireCurl();
        try (TestHub hub = hub("")) {
            long before = responses(viaHub("daily", "--json"));
            // one more priced Claude response, written after the hub's only timed round
            Path log = hub.config().home().resolve(".claude/projects/-p/priced.jsonl");
            String today = LocalDate.now(ZoneOffset.UTC).toString();
            Files.writeString(
                    log,
                    "{\"type\":\"assistant\",\"sessionId\":\"s-new\",\"cwd\":\"/p\",\"timestamp\":\"" + today
                            + "T10:00:00.000Z\",\"requestId\":\"req_new\",\"message\":{\"id\":\"msg_new\","
                            + "\"model\":\"claude-sonnet-4-5-20250929\",\"usage\":{\"input_tokens\":7,"
                            + "\"output_tokens\":3,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0}}}\n",
                    StandardOpenOption.APPEND);
            assertEquals(before + 1, responses(viaHub("daily", "--json")));
        }
    }

    /**
     * A run without the hub prints a warning for each log with damaged lines it reads; the hub reads them for it, so
     * its next answer carries those warnings, once, with the file named by its engine only (the path names a project
     * and a session, which no token holder gets), and nothing else the hub logged.
     */
    @Test
    void damagedLinesTheHubReadAreWarnedOnTheCallersStandardErrorOnceWithoutTheirPath() throws Exception {
        requireCurl();
        try (TestHub hub = hub("")) {
            String today = LocalDate.now(ZoneOffset.UTC).toString();
            Path project = hub.config().home().resolve(".claude/projects/-home-me-secretproject");
            Files.createDirectories(project);
            // more than 10^9 input tokens: a damaged line, after a good response in the same log
            Files.writeString(
                    project.resolve("5e55100e-0000-4000-8000-00000000abcd.jsonl"),
                    claudeLine("good", 7, today) + claudeLine("bad", 2_000_000_000L, today));
            Run first = viaHub("daily", "--json");
            assertEquals(0, first.exit(), first.toString());
            assertEquals(
                    1,
                    JSON.readTree(first.out()).path("damagedResponses").asInt(),
                    "the report counts it: " + first.out());
            List<String> lines = first.err().lines().toList();
            assertEquals(1, lines.size(), "one warning, nothing else: " + first.err());
            String w = lines.get(0);
            assertTrue(w.startsWith("time="), w);
            assertTrue(
                    w.contains(" level=WARN logger=dev.tandem.hub.usage.UsageScanner msg=\"usage: a Claude Code"
                            + " log: 1 response not counted: a damaged line gives a token count or model name no response has;"
                            + " the first such line begins at byte "),
                    w);
            assertTrue(w.endsWith(" (the hub's log names the file)\""), w);
            for (String secret :
                    List.of("secretproject", "5e55100e", hub.config().home().toString())) {
                assertFalse(first.err().contains(secret), "the warning names " + secret + ": " + w);
            }
            Run second = viaHub("daily", "--json");
            assertEquals(0, second.exit(), second.toString());
            assertEquals("", second.err(), "each warning is given once");
            assertEquals(1, JSON.readTree(second.out()).path("damagedResponses").asInt());
        }
    }

    @Test
    void aCallerWithTheTokenDoesNotTakeTheWarningsAwayFromThePersonsNextRun() throws Exception {
        requireCurl();
        try (TestHub hub = hub("")) {
            String today = LocalDate.now(ZoneOffset.UTC).toString();
            Path project = hub.config().home().resolve(".claude/projects/-home-me-p");
            Files.createDirectories(project);
            Files.writeString(
                    project.resolve("5e55100e-0000-4000-8000-00000000abce.jsonl"),
                    claudeLine("good", 7, today) + claudeLine("bad", 2_000_000_000L, today));
            // an agent holding the token asks first: it gets the report, not the person's warnings
            RawHttp.Response agent = usageCli(hub, Map.of("Authorization", "Bearer " + hub.token()));
            assertEquals(200, agent.status(), agent.toString());
            assertFalse(agent.body().contains("damaged line"), agent.body());
            Run person = viaHub("daily", "--json");
            assertEquals(0, person.exit(), person.toString());
            assertTrue(person.err().contains("1 response not counted: a damaged line"), person.err());
        }
    }

    @Test
    void aWrongUsageKeyCountsAsAFailedAuthenticationAndIsBlockedLikeAWrongToken() throws Exception {
        try (TestHub hub = hub("")) {
            String key = hub.hub().usageKeys().orElseThrow().key();
            HttpClient other = HttpClient.newBuilder()
                    .localAddress(java.net.InetAddress.getByName("127.0.0.2"))
                    .build();
            // 30 wrong keys at once from another address: each is refused and counted (their delays overlap)
            List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> guesses = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                guesses.add(other.sendAsync(
                        usageRequest(hub, "G".repeat(40) + (100 + i)), HttpResponse.BodyHandlers.ofString()));
            }
            for (var g : guesses) {
                assertEquals(401, g.get().statusCode(), g.get().body());
            }
            assertEquals(
                    429,
                    other.send(usageRequest(hub, key), HttpResponse.BodyHandlers.ofString())
                            .statusCode(),
                    "after 30 wrong keys the address is not even checked, the right key included");
            try (HttpClient own = HttpClient.newHttpClient()) {
                assertEquals(
                        200,
                        own.send(usageRequest(hub, key), HttpResponse.BodyHandlers.ofString())
                                .statusCode(),
                        "the hub's own address is not blocked");
            }
            other.close();
        }
    }

    private HttpRequest usageRequest(TestHub hub, String key) {
        return HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/api/usage/cli"))
                .header("X-Tandem-Usage-Key", key)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .timeout(java.time.Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(usageForm()))
                .build();
    }

    private RawHttp.Response usageCli(TestHub hub, Map<String, String> credential) {
        Map<String, String> headers = new java.util.HashMap<>(credential);
        headers.put("Content-Type", "application/x-www-form-urlencoded");
        return RawHttp.send(hub.port(), "POST", "/api/usage/cli", headers, usageForm());
    }

    private String usageForm() {
        return "arg=daily&arg=--json&cwd=" + dir.toAbsolutePath() + "&env=HOME="
                + URLEncoder.encode(home().toString(), StandardCharsets.UTF_8);
    }

    private static String claudeLine(String id, long input, String day) {
        return "{\"type\":\"assistant\",\"sessionId\":\"s-" + id + "\",\"cwd\":\"/p\",\"timestamp\":\"" + day
                + "T10:00:00.000Z\",\"requestId\":\"req_" + id + "\",\"message\":{\"id\":\"msg_" + id
                + "\",\"model\":\"claude-sonnet-4-5-20250929\",\"usage\":{\"input_tokens\":" + input
                + ",\"output_tokens\":3,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0}}}\n";
    }

    private static long responses(Run r) {
        assertEquals(0, r.exit(), r.toString());
        return JSON.readTree(r.out())
                .path("totals")
                .path("total")
                .path("responses")
                .asLong();
    }

    @Test
    void theKeyIsInNoProcesssArgumentsTheTokenIsNotSentAndAWrongKeyGetsNoAnswer() throws Exception {
        requireCurl();
        try (TestHub hub = hub("")) {
            HubRuntime.UsageKeys keys = hub.hub().usageKeys().orElseThrow();
            Run ok = viaHub("daily", "--json");
            assertEquals(0, ok.exit(), ok.toString());
            String argv = Files.readString(dir.resolve("curl-argv"));
            assertTrue(argv.contains("/api/usage/cli"), argv);
            assertFalse(argv.contains(hub.token()), "the token is in curl's arguments: " + argv);
            assertFalse(argv.contains(keys.key()) || argv.contains(keys.proof()), "a key in curl's arguments: " + argv);

            // a record naming another key (a hub started since, or an edited record): refused, the caller runs it
            Path record = HubRuntime.file(hub.config().layout());
            String json = Files.readString(record);
            Files.writeString(record, json.replace(keys.key(), "A".repeat(43)));
            assertEquals(125, viaHub("daily", "--json").exit(), "a refused key: the caller runs the command itself");
            // the same request with the token instead of the key is answered, without the proof (the token is the
            // person's; the proof goes only to whoever read the record)
            RawHttp.Response r = RawHttp.send(
                    hub.port(),
                    "POST",
                    "/api/usage/cli",
                    Map.of(
                            "Authorization",
                            "Bearer " + hub.token(),
                            "Content-Type",
                            "application/x-www-form-urlencoded"),
                    "arg=daily&arg=--json&cwd=" + dir.toAbsolutePath() + "&env=HOME="
                            + java.net.URLEncoder.encode(home().toString(), StandardCharsets.UTF_8));
            assertEquals(200, r.status(), r.toString());
            assertFalse(r.body().contains(keys.proof()), r.body());
        }
    }

    /** The usage key opens {@code POST /api/usage/cli} and nothing else: not {@code /mcp}, nor the dashboard's API. */
    @Test
    void theUsageKeyOpensNothingButTandemUsage() throws Exception {
        try (TestHub hub = hub("")) {
            String key = hub.hub().usageKeys().orElseThrow().key();
            Map<String, String> withKey = new java.util.HashMap<>();
            withKey.put("X-Tandem-Usage-Key", key);
            withKey.put("Content-Type", "application/json");
            withKey.put("Accept", McpHttp.ACCEPT_BOTH);
            assertEquals(
                    401,
                    RawHttp.send(hub.port(), "POST", "/mcp", withKey, McpHttp.initialize("2025-06-18"))
                            .status());
            for (String path : List.of("/api/usage", "/api/memories", "/api/fleet/clients", "/api/jobs")) {
                int status =
                        RawHttp.send(hub.port(), "GET", path, withKey, null).status();
                assertEquals(401, status, path);
            }
            // the key alone, on its own path, is answered
            Map<String, String> form = new java.util.HashMap<>(withKey);
            form.put("Content-Type", "application/x-www-form-urlencoded");
            RawHttp.Response ok = RawHttp.send(
                    hub.port(),
                    "POST",
                    "/api/usage/cli",
                    form,
                    "arg=daily&arg=--json&cwd=" + dir.toAbsolutePath() + "&env=HOME="
                            + java.net.URLEncoder.encode(home().toString(), StandardCharsets.UTF_8));
            assertEquals(200, ok.status(), ok.toString());
            assertTrue(
                    ok.body()
                            .lines()
                            .findFirst()
                            .orElse("")
                            .endsWith(" " + hub.hub().usageKeys().orElseThrow().proof()),
                    ok.body());
        }
    }

    @Test
    void theHubDeclinesSessionsFoldersAnotherStoreAndAnotherConfiguration() throws Exception {
        requireCurl();
        try (TestHub hub = hub("")) {
            assertEquals(125, viaHub("session", "--json").exit(), "sessions name folders: not for a token holder");
            assertEquals(125, viaHub("project").exit());
            assertEquals(
                    125,
                    viaHub("daily", "--data-dir", dir.resolve("other").toString())
                            .exit());
            assertEquals(
                    125,
                    viaHub("daily", "--config", dir.resolve("other.toml").toString())
                            .exit());
            assertEquals(
                    0,
                    viaHub("daily", "--data-dir", hub.config().dataDir().toString())
                            .exit());
            assertFalse(Files.exists(dir.resolve("other")), "a declined command opened no store");
        }
    }

    /**
     * picocli expands an argument {@code @FILE} into FILE's words: through the hub that would read any file the hub
     * can (the token), quote its words back in the usage error, and run a {@code session} report a file names.
     */
    @Test
    void anArgumentFileIsNeverReadByTheHub() throws Exception {
        try (TestHub hub = hub("")) {
            String token = hub.token();
            HttpResponse<String> tokenFile =
                    post(hub, "daily", "@" + hub.config().tokenFile());
            assertEquals(409, tokenFile.statusCode(), tokenFile.body());
            assertFalse(tokenFile.body().contains(token), "the hub's token came back: " + tokenFile.body());
            assertTrue(tokenFile.body().contains("file of arguments"), tokenFile.body());
            Path args = Files.writeString(dir.resolve("args.txt"), "session --json\n");
            HttpResponse<String> session = post(hub, "@" + args);
            assertEquals(409, session.statusCode(), "a session report named in a file: " + session.body());
            assertEquals(200, post(hub, "daily", "--json").statusCode(), "the same request without a file is answered");
            HttpResponse<String> nul = post(hub, "/tmp\u0000x", "daily");
            assertEquals(400, nul.statusCode(), "a folder no path can be: " + nul.body());
            assertTrue(nul.body().contains("cwd is not a path"), nul.body());
            if (Files.isExecutable(Path.of("/usr/bin/curl"))) {
                // the client then runs the command itself, which reads the person's own file as before
                assertEquals(125, viaHub("daily", "@" + args).exit());
            }
        }
    }

    /** A form field the hub cannot decode (a cut percent escape) is a 400 naming it, as a bad cwd is, not a 500. */
    @Test
    void aFieldThatIsNotPercentEncodedIsRefusedNamingIt() throws Exception {
        try (TestHub hub = hub("")) {
            try (HttpClient client = HttpClient.newHttpClient()) {
                HttpResponse<String> r = client.send(
                        HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/api/usage/cli"))
                                .header("Authorization", "Bearer " + hub.token())
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(HttpRequest.BodyPublishers.ofString("cwd=%2F&arg=daily%zz"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(400, r.statusCode(), r.body());
                assertTrue(r.body().contains("arg"), r.body());
            }
        }
    }

    /** The client's request, sent by hand: any argument list, the hub's home, folder {@code /} unless one leads. */
    private static HttpResponse<String> post(TestHub hub, String... args) throws IOException, InterruptedException {
        String cwd = "/";
        if (args.length > 0 && args[0].startsWith("/")) {
            cwd = args[0];
            args = Arrays.copyOfRange(args, 1, args.length);
        }
        StringBuilder form = new StringBuilder(
                "cwd=" + encode(cwd) + "&env=" + encode("HOME=" + hub.config().home()));
        if (System.getenv("TZ") != null) {
            form.append("&env=").append(encode("TZ=" + System.getenv("TZ"))); // the hub's own, as the client sends it
        }
        for (String a : args) {
            form.append("&arg=").append(encode(a));
        }
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(
                    HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/api/usage/cli"))
                            .header("Authorization", "Bearer " + hub.token())
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(form.toString()))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void withoutARunningHubTheCallerRunsTheCommandItself() throws Exception {
        requireCurl();
        Files.createDirectories(home());
        assertEquals(125, viaHub("daily", "--json").exit());
    }

    @Test
    void theHubNeverAnswersExitCode125WhichMeansNoHubAnswered() {
        // no command of `tandem usage` exits otherwise than 0, 1 or 2 today; an answer is built so that none can
        HubUsage.Answer a = new HubUsage.Answer(125, "report\n", "warning\n");
        assertEquals(2, a.exit());
        assertTrue(a.err().startsWith("warning\n") && a.err().contains("exit code 125, reported as 2"), a.err());
        assertTrue(new String(a.wire(), StandardCharsets.UTF_8).startsWith("2 7\nreport\nwarning\n"));
        assertEquals(1, new HubUsage.Answer(1, "", "").exit());
        assertEquals("", new HubUsage.Answer(1, "", "").err());
    }

    @Test
    void anAnswerCarryingExitCode125IsReportedAs2SoTheCallerDoesNotRunTheCommandAgain() throws Exception {
        requireCurl();
        // a hub from before answers were limited to 0..2: a loopback server that answers as it would have
        com.sun.net.httpserver.HttpServer old = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0), 0);
        String key = "K".repeat(43);
        String proof = "P".repeat(43);
        old.createContext("/api/usage/cli", ex -> {
            if (!key.equals(ex.getRequestHeaders().getFirst("X-Tandem-Usage-Key"))) {
                reply(ex, 401, "");
                return;
            }
            byte[] body = ("125 7 " + proof + "\nreport\nwarning\n").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            try (var out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        old.start();
        try {
            Path state = Files.createDirectories(home().resolve(".tandem/state"));
            int port = old.getAddress().getPort();
            Files.writeString(
                    state.resolve("hub.json"),
                    "{\"url\":\"http://127.0.0.1:" + port + "/mcp\",\"pid\":"
                            + ProcessHandle.current().pid() + ",\"port\":" + port + ",\"usageKey\":\"" + key
                            + "\",\"usageProof\":\"" + proof + "\"}\n");
            Run r = viaHub("daily");
            assertEquals(2, r.exit(), r.toString());
            assertEquals("report\n", r.out());
            assertTrue(r.err().startsWith("warning\n") && r.err().contains("the hub answered exit code 125"), r.err());
        } finally {
            old.stop(0);
        }
    }

    /** A hub with {@code [dashboard] enabled = false} answers {@code tandem usage} as well: the key is no login. */
    @Test
    void aHubWithoutTheDashboardAnswersToo() throws Exception {
        requireCurl();
        try (TestHub hub = hub("[dashboard]\nenabled = false\n")) {
            Run r = viaHub("daily", "--json");
            assertEquals(0, r.exit(), r.toString());
            assertEquals(
                    inProcess(hub, "daily", "--json").withoutReadTime().out(),
                    r.withoutReadTime().out());
        }
    }

    /**
     * A hub that died leaves its record; a program another user runs may listen on its port since, and any live
     * process of the person's may have its pid. The client never sends the token (only the dead hub's key, which no
     * hub takes any more), and prints nothing of an answer without the record's proof: the command runs in its own
     * JVM, with a line naming the record when the program answered 200. Before, this program got {@code
     * Authorization: Bearer <token>} and its answer (an OSC 52 clipboard write) was printed.
     */
    @Test
    void aProgramOnAStaleRecordsPortGetsNoTokenAndPrintsNothing() throws Exception {
        requireCurl();
        String token = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
        Path state = Files.createDirectories(home().resolve(".tandem/state"));
        Files.writeString(home().resolve(".tandem/token"), token + "\n");
        String key = "K".repeat(43);
        String proof = "P".repeat(43);
        List<com.sun.net.httpserver.HttpHandler> answers = List.of(
                ex -> reply(ex, 200, "0 22\n\u001b]52;c;Y3VybCB4fHNo\u0007owned\n"), // the reproduction's
                ex -> reply(ex, 200, "0 22 " + "Q".repeat(43) + "\n\u001b]52;c;Y3VybCB4fHNo\u0007owned\n"),
                ex -> reply(ex, 200, "0 22 " + key + "\n\u001b]52;c;Y3VybCB4fHNo\u0007owned\n"), // echoes the key
                ex -> reply(ex, 401, "{}"));
        for (int i = 0; i < answers.size(); i++) {
            com.sun.net.httpserver.HttpHandler answer = answers.get(i);
            List<String> headers = new java.util.concurrent.CopyOnWriteArrayList<>();
            com.sun.net.httpserver.HttpServer squatter = com.sun.net.httpserver.HttpServer.create(
                    new java.net.InetSocketAddress(java.net.InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0), 0);
            squatter.createContext("/", ex -> {
                headers.add(ex.getRequestHeaders().toString());
                answer.handle(ex);
            });
            squatter.start();
            try {
                int port = squatter.getAddress().getPort();
                // a stale record: its pid is a live process of the person's (here this JVM)
                Files.writeString(
                        state.resolve("hub.json"),
                        "{\"url\":\"http://127.0.0.1:" + port + "/mcp\",\"pid\":"
                                + ProcessHandle.current().pid() + ",\"port\":" + port + ",\"usageKey\":\"" + key
                                + "\",\"usageProof\":\"" + proof + "\"}\n");
                Run r = viaHub("daily");
                assertEquals(125, r.exit(), "the caller runs the command itself: " + r);
                assertEquals("", r.out());
                assertEquals(1, headers.size(), "one request: " + headers);
                assertTrue(headers.stream().noneMatch(h -> h.contains(token)), "the token was sent: " + headers);
                assertFalse(Files.readString(dir.resolve("curl-argv")).contains(token));
                assertFalse(r.err().contains("\u001b") || r.err().contains("owned"), r.err());
                if (i < 3) {
                    assertTrue(
                            r.err().contains("did not answer as the hub")
                                    && r.err()
                                            .contains(state.resolve("hub.json").toString()),
                            r.err());
                } else {
                    assertEquals("", r.err());
                }
            } finally {
                squatter.stop(0);
            }
        }
    }

    private static void reply(com.sun.net.httpserver.HttpExchange ex, int status, String body) throws IOException {
        byte[] out = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, out.length);
        try (var o = ex.getResponseBody()) {
            o.write(out);
        }
    }
}
