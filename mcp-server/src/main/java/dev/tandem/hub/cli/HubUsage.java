package dev.tandem.hub.cli;

import dev.tandem.core.config.HubConfig;
import dev.tandem.core.config.HubConfigLoader;
import dev.tandem.core.config.HubFlags;
import dev.tandem.core.store.Store;
import dev.tandem.hub.logging.OneLineFormatter;
import dev.tandem.hub.usage.Ledger;
import dev.tandem.hub.usage.UsagePoller;
import dev.tandem.hub.usage.UsageScanner;
import dev.tandem.hub.usage.UsageSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * The running hub's side of {@code tandem usage} (docs/usage.md, "Answered by the running hub"): the same command,
 * parsed and printed by the same code, run on the hub's own store after its poller has read what is new in the logs
 * — so the answer is as fresh as a standalone run's and its bytes are the same — without a JVM start on the
 * person's side. It answers only when the command would have read the same logs into the same store with the same
 * settings; otherwise (and for the reports that name folders and sessions, which the hub gives no bearer token
 * holder) it declines with {@link NotHere}, and the client runs the command itself.
 */
public final class HubUsage {
    /** The environment variables that decide what {@code tandem usage} reads and how it counts days. */
    public static final List<String> VARIABLES = Stream.concat(
                    Stream.of("HOME", "TZ", "CODEX_HOME", "CLAUDE_CONFIG_DIR"), HubConfigLoader.VARIABLES.stream())
            .toList();

    /** Subcommands the hub does not answer: their rows name folders and sessions (docs/security.md). */
    private static final Set<String> PERSONAL = Set.of("session", "project");
    /** Command trees kept for reuse: enough for the answers that run at once in practice. */
    private static final int MAX_IDLE = 2;

    private final HubConfig config;
    private final Store store;
    private final UsagePoller poller;
    private final Supplier<CommandLine> commands;
    /**
     * Command trees built before and free now: building one (picocli's reflection over every command and option)
     * costs more than the rest of a small answer, so each is reused. picocli resets every option to its initial
     * value before it parses; the client's folder and environment are bound anew for each answer. A tree serves one
     * answer at a time: concurrent answers take another one, or build one.
     */
    private final Queue<Tree> idle = new ConcurrentLinkedQueue<>();

    /**
     * @param config the hub's configuration
     * @param store the hub's store
     * @param poller the hub's poller, which alone reads the logs
     * @param commands the whole command tree, as {@code tandem} builds it
     */
    public HubUsage(HubConfig config, Store store, UsagePoller poller, Supplier<CommandLine> commands) {
        this.config = config;
        this.store = store;
        this.poller = poller;
        this.commands = commands;
    }

    /** Why the hub does not answer a command: the client runs it itself. */
    public static final class NotHere extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotHere(String message) {
            super(message);
        }
    }

    /**
     * What the command printed and its exit code.
     *
     * @param exit the exit code: 0, 1 or 2; anything else is reported as 2, with a line on standard error, since the
     *     client takes 125 for "no hub answered" and would run the command a second time
     * @param out standard output
     * @param err standard error
     */
    public record Answer(int exit, String out, String err) {
        public Answer {
            if (exit < 0 || exit > 2) {
                err = err + "tandem: usage ended with exit code " + exit + ", reported as 2 (the hub answers 0, 1 or 2)"
                        + System.lineSeparator();
                exit = 2;
            }
        }

        /** Returns the answer on the wire: a line {@code EXIT OUT_BYTES}, then standard output, then standard error. */
        public byte[] wire() {
            return wire("");
        }

        /**
         * The same with {@code proof} after the byte count on the first line ({@code EXIT OUT_BYTES PROOF}): what
         * tells {@code bin/usage-via-hub} the answer comes from the hub of its record.
         */
        public byte[] wire(String proof) {
            byte[] o = out.getBytes(StandardCharsets.UTF_8);
            byte[] e = err.getBytes(StandardCharsets.UTF_8);
            byte[] head = (exit + " " + o.length + (proof.isEmpty() ? "" : " " + proof) + "\n")
                    .getBytes(StandardCharsets.US_ASCII);
            byte[] all = new byte[head.length + o.length + e.length];
            System.arraycopy(head, 0, all, 0, head.length);
            System.arraycopy(o, 0, all, head.length, o.length);
            System.arraycopy(e, 0, all, head.length + o.length, e.length);
            return all;
        }
    }

    /**
     * Runs {@code tandem usage ARGS} for a client in {@code cwd} with {@code env} (only {@link #VARIABLES} count).
     *
     * @param takesWarnings whether the answer takes (and so prints, once) the damaged-line warnings the hub found
     *     since the last such answer: only for the person's own {@code tandem usage}, the usage key's holder
     * @throws NotHere when the command would read other logs or another store, or names folders and sessions
     */
    public Answer run(List<String> args, Path cwd, Map<String, String> env, boolean takesWarnings) {
        for (String a : args) {
            if (a.startsWith("@")) {
                // picocli would read the file and put its words in the command: any file the hub can read, quoted
                // back in an error, and words no check here has seen (docs/security.md)
                throw new NotHere("an argument starting with @ names a file of arguments; the command reads it itself");
            }
            if (PERSONAL.contains(a)) {
                throw new NotHere("'" + a + "' names folders and sessions; the hub gives those to no token holder");
            }
        }
        // the home and the time zone are the hub's; what else decides the logs and the store is checked in open()
        if (!samePath(env.get("HOME"), config.home().toString())) {
            throw new NotHere("the command's HOME is not the hub's");
        }
        String tz = Optional.ofNullable(env.get("TZ")).filter(v -> !v.isBlank()).orElse(null);
        if (!Objects.equals(tz, config.sections().env("TZ").orElse(null))) {
            throw new NotHere("the command's TZ is not the hub's");
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Tree tree = Optional.ofNullable(idle.poll()).orElseGet(() -> new Tree(commands.get()));
        CommandLine root = tree.root;
        root.setOut(new PrintWriter(out, true));
        root.setErr(new PrintWriter(err, true));
        bind(root.getSubcommands().get("usage"), new Context(cwd, env, takesWarnings));
        tree.declined = null;
        List<String> all = new ArrayList<>(List.of("usage"));
        all.addAll(args);
        int exit;
        NotHere declined;
        try {
            exit = root.execute(all.toArray(String[]::new));
        } finally {
            // the client's folder, environment and answer are not kept with the tree
            bind(root.getSubcommands().get("usage"), null);
            root.setOut(new PrintWriter(Writer.nullWriter()));
            root.setErr(new PrintWriter(Writer.nullWriter()));
            declined = tree.declined;
            tree.declined = null;
            if (idle.size() < MAX_IDLE) {
                idle.offer(tree);
            }
        }
        if (declined != null) {
            throw declined;
        }
        return new Answer(exit, out.toString(), err.toString());
    }

    /** One command tree and what its exception handler noted: a command the hub declined. */
    private static final class Tree {
        final CommandLine root;
        volatile NotHere declined;

        Tree(CommandLine root) {
            this.root = root;
            root.setExpandAtFiles(false); // as well as the check in run(): no file is ever read for its arguments
            CommandLine.IExecutionExceptionHandler tandems = root.getExecutionExceptionHandler();
            root.setExecutionExceptionHandler((ex, line, parsed) -> {
                if (ex instanceof NotHere n) {
                    declined = n;
                    return 2;
                }
                return tandems.handleExecutionException(ex, line, parsed);
            });
        }
    }

    /**
     * Prints the warnings a run without the hub prints for the damaged lines it reads, as its log prints them, for
     * those the hub read since its last answer: without the file's path (a bearer token holder gets no folders or
     * sessions), and nothing else of the hub's log.
     */
    private static void warnDamaged(UsagePoller.Damaged damaged, PrintWriter err) {
        OneLineFormatter format = new OneLineFormatter();
        for (UsageScanner.DamagedLog d : damaged.logs()) {
            err.print(format.format(warning(d.warningWithoutPath(), d.found())));
        }
        if (damaged.more() > 0) {
            err.print(format.format(warning(
                    "usage: " + damaged.more() + " more logs with damaged lines (the hub's log names them)",
                    Instant.now())));
        }
    }

    private static LogRecord warning(String message, Instant at) {
        LogRecord r = new LogRecord(Level.WARNING, message);
        r.setLoggerName(UsageScanner.class.getName());
        r.setInstant(at);
        return r;
    }

    private static boolean samePath(String a, String b) {
        return a != null
                && b != null
                && Path.of(a)
                        .toAbsolutePath()
                        .normalize()
                        .equals(Path.of(b).toAbsolutePath().normalize());
    }

    /**
     * The client's working folder and environment, for the options of one command, and whether its answer takes the
     * damaged-line warnings.
     */
    record Context(Path cwd, Map<String, String> env, boolean takesWarnings) {}

    private void bind(CommandLine line, Context context) {
        HubUsage hub = context == null ? null : this;
        Object command = line.getCommand();
        UsageOptions options = command instanceof UsageCommand c
                ? c.options
                : command instanceof UsageReportCommand r
                        ? r.options
                        : command instanceof UsageBlocksCommand b ? b.options : null;
        if (options != null) {
            options.hub = hub;
            options.client = context;
        }
        line.getSubcommands().values().forEach(s -> bind(s, context));
    }

    /**
     * Opens the hub's store for the options of a command, after checking the command would have used this store and
     * these settings, and (unless {@code --no-scan}) after the poller has read what is new.
     */
    UsageOptions.Opened open(UsageOptions o, PrintWriter err) {
        Context c = o.client;
        if (o.config != null) {
            throw new NotHere("--config names another configuration than the hub's");
        }
        HubFlags flags = new HubFlags(null, null, null, null, o.dataDir, null, List.of(), null, null, null);
        HubConfig theirs =
                new HubConfigLoader(config.home(), c.cwd(), config.home(), c.env()).load(Optional.empty(), flags);
        if (!theirs.dataDir()
                .toAbsolutePath()
                .normalize()
                .equals(config.dataDir().toAbsolutePath().normalize())) {
            throw new NotHere("the command's store is not the hub's");
        }
        UsageSettings mine = o.settings(config);
        UsageSettings would = o.settings(theirs);
        if (!mine.codexHomes().equals(would.codexHomes())
                || !mine.claudeDirs().equals(would.claudeDirs())
                || !mine.zone().equals(would.zone())
                || !mine.budgets().equals(would.budgets())
                || !UsageSettings.from(config)
                        .prices()
                        .equals(UsageSettings.from(theirs).prices())) {
            throw new NotHere("the command's [usage] settings are not the hub's");
        }
        if (!o.noScan) {
            boolean fresh;
            try {
                fresh = poller.fresh(UsageOptions.WAIT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fresh = false;
            }
            if (!fresh) {
                err.println("tandem: the logs are still being read elsewhere; reporting what the store holds");
            }
            if (c.takesWarnings()) {
                warnDamaged(poller.takeDamaged(), err);
            }
            err.flush();
        }
        return new UsageOptions.Opened(config, store, new Ledger(store.usage(), mine, Clock.systemUTC()), false);
    }
}
