package dev.tandem.hub.runs;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * What every engine's run shares: the process, the turn and its deadline, the approval requests and their policy,
 * and the order and redaction of events. Each engine's subclass turns its CLI's lines into {@link RunEvent}s.
 */
abstract class ProcessRun implements Run {
    private static final ScheduledExecutorService DEADLINES = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tandem-run-deadlines");
        t.setDaemon(true);
        return t;
    });

    protected final RunSpec spec;
    private final RunListener listener;
    private final Object lock = new Object();
    private final Map<String, Consumer<Boolean>> pending = new LinkedHashMap<>();
    private EngineProcess process;
    private boolean turnActive;
    private ScheduledFuture<?> deadline;
    private volatile String stopCause;
    private Optional<String> lastMessage = Optional.empty();

    ProcessRun(RunSpec spec, RunListener listener) {
        this.spec = spec;
        this.listener = listener;
    }

    /** Returns the arguments after the binary. */
    abstract List<String> arguments();

    /** Starts the conversation once the process runs: the first prompt, a handshake, … */
    abstract void begin();

    /** Handles one line of the engine's stdout. */
    abstract void onLine(String line);

    /** Sends a follow-up turn (called with no turn active, on an interactive run). */
    abstract void sendTurn(String message);

    /** Asks the engine to stop the current turn. */
    abstract void interruptTurn();

    /** Starts the process and the conversation; returns this run. */
    final Run launch() {
        List<String> command = new ArrayList<>();
        command.add(spec.binary().toString());
        command.addAll(arguments());
        process = EngineProcess.start(
                command, spec.dir(), spec.env(), spec.limits(), spec.killGrace(), this::line, this::exitedWith);
        begin();
        return this;
    }

    final EngineProcess process() {
        return process;
    }

    private void line(EngineProcess.Line line) {
        if (line.cut()) {
            emit(new RunEvent.Notice(
                    "warning",
                    "a line of " + line.bytes() + " bytes from the engine was cut at "
                            + spec.limits().maxLineBytes()));
            return;
        }
        if (!line.text().isBlank()) {
            onLine(line.text());
        }
    }

    // ---- events -------------------------------------------------------------------------------------------

    /** Reports an event, redacted, in order with every other. */
    final void emit(RunEvent event) {
        synchronized (lock) {
            if (event instanceof RunEvent.Message m) {
                lastMessage = Optional.of(m.text());
            }
            listener.onEvent(event.redacted(spec.redactor()));
        }
    }

    /** Marks a turn begun: its deadline starts. */
    final void turnStarted(String input) {
        synchronized (lock) {
            turnActive = true;
            lastMessage = Optional.empty();
            deadline = DEADLINES.schedule(
                    () -> Thread.ofVirtual().start(this::timeOut),
                    spec.turnTimeout().toMillis(),
                    TimeUnit.MILLISECONDS);
            emit(new RunEvent.TurnStarted(input));
        }
    }

    /** Marks the turn ended; a one-shot run then closes its input so the engine exits. */
    final void turnEnded(
            RunEvent.TurnStatus status,
            Optional<String> finalMessage,
            Optional<String> error,
            Optional<String> structured) {
        synchronized (lock) {
            turnActive = false;
            if (deadline != null) {
                deadline.cancel(false);
                deadline = null;
            }
            withdrawAll();
            emit(new RunEvent.TurnEnded(status, finalMessage.or(() -> lastMessage), error, structured));
        }
        if (!spec.interactive()) {
            process.closeInput();
        }
    }

    private void timeOut() {
        synchronized (lock) {
            if (!turnActive) {
                return;
            }
        }
        stopCause = "timed out after " + human(spec.turnTimeout());
        process.killTree();
    }

    private void exitedWith(int code) {
        String cause = stopCause;
        String stderr = process.stderrTail();
        synchronized (lock) {
            if (turnActive) {
                String why = cause != null
                        ? cause
                        : "the engine exited with code " + code
                                + lastLine(stderr).map(l -> ": " + l).orElse("");
                turnEnded(
                        "killed".equals(cause) ? RunEvent.TurnStatus.INTERRUPTED : RunEvent.TurnStatus.FAILED,
                        Optional.empty(),
                        Optional.of(why),
                        Optional.empty());
            }
            withdrawAll();
            emit(new RunEvent.Exited(code, Optional.ofNullable(cause), stderr));
        }
    }

    // ---- approvals ----------------------------------------------------------------------------------------

    /**
     * Handles a request for permission by the run's approval policy: on-request keeps it for {@link #answer};
     * auto and never answer it at once. {@code respond} gets true to approve.
     */
    final void requestApproval(String requestId, String kind, String summary, Consumer<Boolean> respond) {
        synchronized (lock) {
            emit(new RunEvent.ApprovalRequested(requestId, kind, summary));
            switch (spec.approval()) {
                case ON_REQUEST -> pending.put(requestId, respond);
                case AUTO -> {
                    respond.accept(true);
                    emit(new RunEvent.ApprovalResolved(requestId, "approved", "auto"));
                }
                case NEVER -> {
                    respond.accept(false);
                    emit(new RunEvent.ApprovalResolved(requestId, "denied", "never"));
                }
            }
        }
    }

    /** Reports a request the engine no longer waits on (it was interrupted, or answered another way). */
    final void withdraw(String requestId) {
        synchronized (lock) {
            if (pending.remove(requestId) != null) {
                emit(new RunEvent.ApprovalResolved(requestId, "withdrawn", "engine"));
            }
        }
    }

    private void withdrawAll() {
        for (String id : List.copyOf(pending.keySet())) {
            withdraw(id);
        }
    }

    @Override
    public final void answer(String requestId, boolean approve) {
        Consumer<Boolean> respond;
        synchronized (lock) {
            respond = pending.remove(requestId);
            if (respond == null) {
                throw new RunException("no request '" + requestId + "' is waiting (answered, withdrawn or unknown)");
            }
            respond.accept(approve);
            emit(new RunEvent.ApprovalResolved(requestId, approve ? "approved" : "denied", "person"));
        }
    }

    // ---- Run ----------------------------------------------------------------------------------------------

    @Override
    public final long pid() {
        return process.pid();
    }

    @Override
    public final Optional<Instant> startedAt() {
        return process.startedAt();
    }

    @Override
    public final boolean turnActive() {
        synchronized (lock) {
            return turnActive;
        }
    }

    @Override
    public final boolean alive() {
        return process.alive() && !process.exited().isDone();
    }

    @Override
    public final void send(String message) {
        if (!spec.interactive()) {
            throw new RunException("a one-shot run takes no follow-up");
        }
        synchronized (lock) {
            if (!alive()) {
                throw new RunException("the engine process has ended");
            }
            if (turnActive) {
                throw new RunException("a turn is under way: wait for it to end, or interrupt it");
            }
            turnStarted(message);
        }
        sendTurn(message);
    }

    @Override
    public final void interrupt() {
        if (turnActive()) {
            interruptTurn();
        }
    }

    @Override
    public final void close() {
        if (stopCause == null) {
            stopCause = "closed";
        }
        process.closeInput();
        if (!waitExit(spec.killGrace())) {
            process.killTree();
        }
    }

    @Override
    public final void kill() {
        stopCause = "killed";
        process.killTree();
        waitExit(Duration.ofSeconds(5));
    }

    @Override
    public final CompletableFuture<Integer> exited() {
        return process.exited();
    }

    private boolean waitExit(Duration limit) {
        try {
            process.exited().get(limit.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Returns the last non-blank line of {@code text}, shortened to 300 characters. */
    static Optional<String> lastLine(String text) {
        List<String> lines = text.strip().lines().toList();
        for (int i = lines.size() - 1; i >= 0; i--) {
            String l = lines.get(i).strip();
            if (!l.isEmpty()) {
                return Optional.of(l.length() > 300 ? l.substring(0, 300) + "…" : l);
            }
        }
        return Optional.empty();
    }

    static String human(Duration d) {
        if (d.toMinutes() >= 1 && d.toSecondsPart() == 0) {
            return d.toMinutes() + " min";
        }
        return d.toSeconds() + " s";
    }
}
