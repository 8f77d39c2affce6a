package frugal.kernel;

import frugal.kernel.remote.MimeBundle;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.JupyterIO;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.comm.Comm;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;
import org.dflib.jjava.jupyter.messages.Header;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.publish.PublishError;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteInput;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteResult;
import org.dflib.jjava.jupyter.messages.reply.CompleteReply;
import org.dflib.jjava.jupyter.messages.reply.ErrorReply;
import org.dflib.jjava.jupyter.messages.reply.ExecuteReply;
import org.dflib.jjava.jupyter.messages.reply.InspectReply;
import org.dflib.jjava.jupyter.messages.request.CommInfoRequest;
import org.dflib.jjava.jupyter.messages.request.CompleteRequest;
import org.dflib.jjava.jupyter.messages.request.ExecuteRequest;
import org.dflib.jjava.jupyter.messages.request.HistoryRequest;
import org.dflib.jjava.jupyter.messages.request.InspectRequest;
import org.dflib.jjava.jupyter.messages.request.InterruptRequest;
import org.dflib.jjava.jupyter.messages.request.IsCompleteRequest;
import org.dflib.jjava.jupyter.messages.request.KernelInfoRequest;
import org.dflib.jjava.jupyter.messages.request.ShutdownRequest;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The Frugal Jupyter kernel: Java cells run by JShell in a separate JVM that has the Frugal library
 * and its natives on its class path. The Jupyter protocol comes from jjava-jupyter; execution,
 * display, magics, interrupt and recovery from a dead JVM are ours (see {@link CellRunner}).
 */
final class FrugalKernel extends BaseKernel {
    static final String NAME = "frugal-java";
    static final String VERSION = "0.1.0";

    private final Session session;
    private final OutputRouter output;
    private final KernelInput input;
    private final CellRunner runner;
    private final CodeAssist assist;
    private final History history;
    private final CompletableFuture<Void> started;
    private volatile LastError lastError;

    private FrugalKernel(History history, Session session, OutputRouter output, KernelInput input, CellRunner runner) {
        super(NAME, VERSION,
                new LanguageInfo("java", javaVersion(), "text/x-java", ".jsh", "java", "text/x-java", "script"),
                List.of(), null, new JupyterIO(StandardCharsets.UTF_8), new CommManager(), new Renderer(),
                null, null, false, new StringStyler.Builder().build());
        this.history = history;
        this.session = session;
        this.output = output;
        this.input = input;
        this.runner = runner;
        this.assist = new CodeAssist(() -> ready() ? session.shell() : null);
        // the user's JVM starts while the frontend connects; the first cell waits for it
        this.started = CompletableFuture.runAsync(session::start);
    }

    static FrugalKernel create(KernelConfig config, PrintStream kernelErr) {
        OutputRouter output = new OutputRouter(kernelErr);
        KernelInput input = new KernelInput();
        Session session = new Session(config, output, input, kernelErr);
        CellRunner runner = new CellRunner(session, output, new Magics(MavenResolver.fromEnvironment()));
        return new FrugalKernel(new History(), session, output, input, runner);
    }

    /** Waits for the first start of the user's JVM; false when it failed (the next cell retries). */
    private boolean ready() {
        try {
            started.join();
            return session.shell() != null;
        } catch (CompletionException e) {
            return false;
        }
    }

    @Override
    protected synchronized void handleExecuteRequest(ShellReplyEnvironment env, Message<ExecuteRequest> message) {
        commManager.setMessageContext(message);
        ExecuteRequest request = message.getContent();
        busyThenIdle(env);
        // silent forces store_history off; a request that stores no history gets the counter's current value
        boolean store = request.shouldStoreHistory() && !request.isSilent();
        if (request.shouldStopOnError() && queuedBeforeError(message)) {
            env.reply(Replies.Execute.aborted(executionCount.get() - 1));
            return;
        }
        int count = store ? executionCount.getAndIncrement() : executionCount.get() - 1;
        if (!request.isSilent()) {
            env.publish(new PublishExecuteInput(request.getCode(), count));
        }
        output.begin(env);
        input.attach(env, request.isStdinEnabled());
        List<Map<String, Object>> payload = new ArrayList<>();
        Map<String, Map<String, Object>> userExpressions = new LinkedHashMap<>();
        CellRunner.Outcome outcome;
        try {
            Optional<String> help = CodeAssist.helpTarget(request.getCode());
            outcome = help.isPresent() ? page(help.get(), payload) : run(request.getCode(), count);
            if (outcome.error() == null && request.getUserExpr() != null) {
                request.getUserExpr().forEach((name, expression) ->
                        userExpressions.put(name, expressionValue(run(expression, count))));
            }
        } finally {
            output.end();
            input.detach();
        }
        MimeBundle result = outcome.result();
        if (store) {
            history.add(count, request.getCode(), result == null ? null : result.data().get(MimeBundle.TEXT));
        }
        if (outcome.error() != null) {
            CellError e = outcome.error();
            lastError = new LastError(System.nanoTime(), System.currentTimeMillis());
            env.publish(new PublishError(e.name(), e.value(), e.traceback()));
            ErrorReply reply = new ErrorReply(e.name(), e.value(), e.traceback());
            reply.setExecutionCount(count);
            env.defer().replyError(ExecuteReply.MESSAGE_TYPE.error(), reply);
        } else {
            if (result != null && !result.isEmpty() && !request.isSilent()) {
                env.publish(new PublishExecuteResult(count, OutputRouter.displayData(result, null)));
            }
            env.defer().reply(Replies.Execute.ok(count, payload, userExpressions));
        }
    }

    /**
     * Status busy now, idle once the reply is out. jjava's setBusyDeferIdle builds the idle message (and so
     * dates it) when the request starts; this builds it when it is sent, so its date says when the request
     * ended (nbclient records it as the cell's end).
     */
    private static void busyThenIdle(ShellReplyEnvironment env) {
        env.setStatusBusy();
        env.defer(env::setStatusIdle);
    }

    private CellRunner.Outcome run(String code, int count) {
        try {
            return startedOrRetried() ? runner.run(code, count) : new CellRunner.Outcome(null, startError());
        } catch (RuntimeException e) {
            return new CellRunner.Outcome(null, CellError.simple("KernelError", String.valueOf(e),
                    "This is a bug in the Frugal kernel; the cell's state may be incomplete."));
        }
    }

    /**
     * IPython's help syntax, {@code Math.abs?}: the name's documentation goes to the frontend's pager as a
     * "page" payload of the execute_reply (the notebook opens its pager, a console prints it).
     */
    private CellRunner.Outcome page(String name, List<Map<String, Object>> payload) {
        String text = ready() ? assist.inspect(name, name.length()) : "";
        if (text.isEmpty()) {
            output.print(false, "no documentation found for " + name + "\n");
        } else {
            payload.add(Map.of("source", "page", "data", Map.of(MimeBundle.TEXT, text), "start", 0));
        }
        return new CellRunner.Outcome(null, null);
    }

    /** A user_expressions entry: the value's MIME bundle, or the error in the reply's error form. */
    private static Map<String, Object> expressionValue(CellRunner.Outcome o) {
        if (o.error() != null) {
            return Map.of("status", "error", "ename", o.error().name(), "evalue", o.error().value(),
                    "traceback", o.error().traceback());
        }
        MimeBundle value = o.result() == null ? MimeBundle.empty() : o.result();
        return Map.of("status", Replies.OK, "data", value.data(), "metadata", value.metadata());
    }

    @Override
    protected void handleInspectRequest(ShellReplyEnvironment env, Message<InspectRequest> message) {
        InspectRequest r = message.getContent();
        busyThenIdle(env);
        try {
            DisplayData found = inspect(r.getCode(), r.getCursorPos(), r.getDetailLevel() > 0);
            env.reply(new InspectReply(found != null, DisplayData.emptyIfNull(found)));
        } catch (RuntimeException e) {
            env.replyError(InspectReply.MESSAGE_TYPE.error(), ErrorReply.of(e));
        }
    }

    @Override
    protected void handleCompleteRequest(ShellReplyEnvironment env, Message<CompleteRequest> message) {
        CompleteRequest r = message.getContent();
        busyThenIdle(env);
        try {
            ReplacementOptions o = complete(r.getCode(), r.getCursorPos());
            env.reply(new CompleteReply(o.getReplacements(), o.getSourceStart(), o.getSourceEnd(), Map.of()));
        } catch (RuntimeException e) {
            env.replyError(CompleteReply.MESSAGE_TYPE.error(), ErrorReply.of(e));
        }
    }

    @Override
    protected void handleKernelInfoRequest(ShellReplyEnvironment env, Message<KernelInfoRequest> message) {
        busyThenIdle(env);
        env.reply(new Replies.KernelInfo(Replies.OK, Header.PROTOCOL_VERISON, NAME, VERSION, getLanguageInfo(),
                getBanner(), List.of()));
    }

    /** Our own reply: jjava 1.0-a6 sends history entries as objects, the protocol wants triples. */
    @Override
    protected void handleHistoryRequest(ShellReplyEnvironment env, Message<HistoryRequest> message) {
        busyThenIdle(env);
        env.reply(new Replies.History(Replies.OK, history.answer(message.getContent())));
    }

    @Override
    protected void handleIsCodeCompeteRequest(ShellReplyEnvironment env, Message<IsCompleteRequest> message) {
        busyThenIdle(env);
        env.reply(assist.isComplete(message.getContent().getCode()));
    }

    @Override
    protected void handleShutdownRequest(ShellReplyEnvironment env, Message<ShutdownRequest> message) {
        boolean restart = message.getContent().isRestart();
        busyThenIdle(env);
        env.defer().reply(new Replies.Shutdown(Replies.OK, restart));
        onShutdown(restart);
        env.resolveDeferrals();
        env.markForShutdown();
    }

    @Override
    protected void handleInterruptRequest(ShellReplyEnvironment env, Message<InterruptRequest> message) {
        busyThenIdle(env);
        env.defer().reply(new Replies.Interrupt(Replies.OK));
        interrupt();
    }

    private void handleCommInfoRequest(ShellReplyEnvironment env, Message<CommInfoRequest> message) {
        busyThenIdle(env);
        String target = message.getContent().getTargetName();
        Map<String, Map<String, String>> comms = new LinkedHashMap<>();
        for (Comm c : commManager) {
            if (target == null || target.equals(c.getTargetName())) {
                comms.put(c.getID(), Map.of("target_name", c.getTargetName()));
            }
        }
        env.reply(new Replies.CommInfo(Replies.OK, comms));
    }

    @Override
    public void becomeHandlerForConnection(JupyterConnection connection) {
        super.becomeHandlerForConnection(connection);
        connection.setHandler(MessageType.COMM_INFO_REQUEST, this::handleCommInfoRequest);
    }

    /** When the last cell failed, by the kernel's monotonic clock and the wall clock. */
    private record LastError(long nanos, long epochMillis) {}

    /**
     * "Run all" queues every cell at once; as in IPython, the cells queued before a failure are aborted,
     * not run against a broken state. A request counts as queued when the frontend sent it before the
     * failure and it reaches us within a second after it (both, so a skewed client clock cannot abort
     * cells typed later).
     */
    private boolean queuedBeforeError(Message<ExecuteRequest> message) {
        LastError e = lastError;
        if (e == null || System.nanoTime() - e.nanos() > 1_000_000_000L) {
            return false;
        }
        var stamp = message.getHeader().getTimestamp();
        try {
            // jjava's own date parser rejects microseconds, which Python clients send
            return stamp != null && java.time.OffsetDateTime.parse(stamp.getDateString()).toInstant().toEpochMilli()
                    <= e.epochMillis();
        } catch (java.time.DateTimeException | NullPointerException ex) {
            return false;
        }
    }

    private boolean startedOrRetried() {
        if (ready()) {
            return true;
        }
        try {
            session.restart();
            return session.shell() != null;
        } catch (RuntimeException e) {
            output.print(true, "could not start the Java process for your code: " + e + "\n");
            return false;
        }
    }

    private CellError startError() {
        Throwable cause = started.isCompletedExceptionally() ? started.handle((v, t) -> t).join() : null;
        return CellError.simple("KernelError", "could not start the Java process for your code"
                + (cause == null ? "" : ": " + cause.getMessage()),
                "Check that scripts/setup finished (it builds kernels/target) and that `java -version` is a JDK 17.");
    }

    @Override
    public Object evalRaw(String source) {
        throw new UnsupportedOperationException("cells run through handleExecuteRequest");
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        String text = assist.inspect(code, charIndex(code, at));
        return text.isEmpty() ? null : new DisplayData(text);
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
        CodeAssist.Completions c = assist.complete(code, charIndex(code, at));
        return new ReplacementOptions(c.matches(), codePoints(code, c.start()), codePoints(code, c.end()));
    }

    @Override
    public String isComplete(String code) {
        throw new UnsupportedOperationException("is_complete is answered by handleIsCodeCompeteRequest");
    }

    @Override
    public void interrupt() {
        runner.interrupt();
    }

    @Override
    public void onShutdown(boolean isRestarting) {
        super.onShutdown(isRestarting);
        session.close();
    }

    /** Ends the user's JVM when the kernel exits without a shutdown request. */
    void closeSession() {
        session.close();
    }

    /** The language version as the protocol writes it, X.Y.Z (17.0.13). */
    static String javaVersion() {
        Runtime.Version v = Runtime.version();
        return v.feature() + "." + v.interim() + "." + v.update();
    }

    /** Jupyter counts cursor positions in code points; Java strings in UTF-16 chars. */
    static int charIndex(String code, int codePoints) {
        int cp = Math.max(0, Math.min(codePoints, code.codePointCount(0, code.length())));
        return code.offsetByCodePoints(0, cp);
    }

    static int codePoints(String code, int charIndex) {
        return code.codePointCount(0, Math.max(0, Math.min(charIndex, code.length())));
    }
}
