package frugal.kernel;

import com.sun.jdi.BooleanValue;
import com.sun.jdi.Bootstrap;
import com.sun.jdi.Field;
import com.sun.jdi.IncompatibleThreadStateException;
import com.sun.jdi.ObjectReference;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.StackFrame;
import com.sun.jdi.ThreadReference;
import com.sun.jdi.VMDisconnectedException;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.connect.Connector;
import com.sun.jdi.connect.IllegalConnectorArgumentsException;
import com.sun.jdi.connect.ListeningConnector;
import frugal.kernel.remote.Agent;
import jdk.jshell.execution.JdiExecutionControl;
import jdk.jshell.execution.Util;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInput;
import java.io.ObjectOutput;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * JShell's execution engine for the kernel: a separate JVM running {@link Agent}, started by us so
 * we own its process (its exit status tells a System.exit from a native crash), its raw stdout and
 * stderr (where native code and JVM crash reports write), and a JDI connection to stop busy loops.
 *
 * <p>The protocol over the agent's socket is JShell's own ({@link Util#remoteInputOutput}); stop
 * uses JDI as JShell's default engine does: throw the agent's stop exception into the thread that
 * runs user code. That reaches a {@code while (true) {}} at its next safepoint poll.
 */
final class RemoteJvm implements ExecutionControlProvider {
    /** How long the JVM may take to start and connect back. */
    static final int CONNECT_TIMEOUT_MS = 60_000;

    private final List<String> command;
    private final OutputStream out;
    private final OutputStream err;
    private final InputStream in;
    private volatile Control control;

    /**
     * @param command java executable and options up to (not including) the main class
     * @param out     receives the JVM's stdout as seen through JShell (text and display frames)
     * @param err     receives its stderr, and whatever the process writes to its own stdout/stderr
     * @param in      the user's stdin
     */
    RemoteJvm(List<String> command, OutputStream out, OutputStream err, InputStream in) {
        this.command = List.copyOf(command);
        this.out = Objects.requireNonNull(out, "out");
        this.err = Objects.requireNonNull(err, "err");
        this.in = Objects.requireNonNull(in, "in");
    }

    @Override
    public String name() {
        return "frugal";
    }

    /** The running engine, once JShell started it. */
    Control control() {
        return control;
    }

    @Override
    public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) throws Throwable {
        ListeningConnector connector = Bootstrap.virtualMachineManager().listeningConnectors().stream()
                .filter(c -> c.name().equals("com.sun.jdi.SocketListen"))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("this JDK has no JDI socket connector (jdk.jdi module)"));
        Map<String, Connector.Argument> jdi = connector.defaultArguments();
        jdi.get("localAddress").setValue(InetAddress.getLoopbackAddress().getHostAddress());
        jdi.get("port").setValue("0");
        jdi.get("timeout").setValue(Integer.toString(CONNECT_TIMEOUT_MS));
        String jdwpAddress = connector.startListening(jdi);
        Process process = null;
        try (ServerSocket agentListener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            agentListener.setSoTimeout(CONNECT_TIMEOUT_MS);
            List<String> cmd = new ArrayList<>();
            cmd.add(command.get(0));
            cmd.add("-agentlib:jdwp=transport=dt_socket,address=" + jdwpAddress + ",suspend=n");
            cmd.addAll(command.subList(1, command.size()));
            cmd.add(Agent.class.getName());
            process = new ProcessBuilder(cmd).start();
            drain(process.getInputStream(), "stdout");
            drain(process.getErrorStream(), "stderr");
            VirtualMachine vm = await(connector, jdi, process);

            byte[] secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            OutputStream stdin = process.getOutputStream();
            stdin.write((agentListener.getLocalPort() + "\n" + Base64.getEncoder().encodeToString(secret) + "\n")
                    .getBytes(StandardCharsets.US_ASCII));
            stdin.flush();
            Socket socket = agentListener.accept();
            socket.setSoTimeout(CONNECT_TIMEOUT_MS);
            if (!Arrays.equals(secret, socket.getInputStream().readNBytes(secret.length))) {
                throw new IOException("the Java process for user code answered with the wrong secret");
            }
            socket.setSoTimeout(0);

            Process started = process;
            ExecutionControl ec = Util.remoteInputOutput(socket.getInputStream(), socket.getOutputStream(),
                    Map.of("out", out, "err", err), Map.of("in", in),
                    (objIn, objOut) -> control = new Control(objOut, objIn, vm, started, env));
            process = null;
            return ec;
        } finally {
            try {
                connector.stopListening(jdi);
            } catch (IOException | IllegalConnectorArgumentsException e) {
                // already stopped after the connection
            }
            if (process != null) {
                process.destroyForcibly();
            }
        }
    }

    /** Waits for the JVM's debugger connection, or fails fast when the process dies first. */
    private static VirtualMachine await(ListeningConnector connector, Map<String, Connector.Argument> jdi,
                                        Process process) throws IOException {
        CompletableFuture<VirtualMachine> accepted = CompletableFuture.supplyAsync(() -> {
            try {
                return connector.accept(jdi);
            } catch (IOException | IllegalConnectorArgumentsException e) {
                throw new IllegalStateException(e);
            }
        });
        CompletableFuture<Object> first = CompletableFuture.anyOf(accepted, process.onExit());
        try {
            first.get(CONNECT_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting the Java process for user code", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("the Java process for user code did not start: " + e.getMessage(), e);
        }
        if (!accepted.isDone()) {
            throw new IOException("the Java process for user code exited at start with status "
                    + process.exitValue() + " (its error output is above)");
        }
        return accepted.join();
    }

    /** Copies what the process itself writes (native libraries, JVM crash reports) to the user's stderr. */
    private void drain(InputStream stream, String name) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = stream.read(buf)) >= 0) {
                    err.write(buf, 0, n);
                }
            } catch (IOException e) {
                // the process is gone
            }
        }, "frugal-remote-" + name);
        t.setDaemon(true);
        t.start();
    }

    /** JShell's view of the remote JVM, with stop through JDI and the process at hand. */
    static final class Control extends JdiExecutionControl {
        private static final String AGENT_BASE = "jdk.jshell.execution.RemoteExecutionControl";

        private final VirtualMachine vm;
        private final Process process;
        private final Object stopLock = new Object();
        private final AtomicBoolean closed = new AtomicBoolean();
        private boolean userCodeRunning;

        Control(ObjectOutput toAgent, ObjectInput fromAgent, VirtualMachine vm, Process process, ExecutionEnv env) {
            super(toAgent, fromAgent);
            this.vm = vm;
            this.process = process;
            Runnable gone = () -> {
                if (closed.compareAndSet(false, true)) {
                    env.closeDown();
                    dispose();
                }
            };
            Util.detectJdiExitEvent(vm, message -> gone.run());
            process.onExit().thenRun(gone);
        }

        Process process() {
            return process;
        }

        boolean userCodeRunning() {
            synchronized (stopLock) {
                return userCodeRunning;
            }
        }

        /** Ends the JVM at once (the last resort of an interrupt that did not stop the cell). */
        void kill() {
            process.destroyForcibly();
        }

        @Override
        public String invoke(String className, String method) throws RunException, EngineTerminationException,
                InternalException {
            synchronized (stopLock) {
                userCodeRunning = true;
            }
            try {
                return super.invoke(className, method);
            } finally {
                synchronized (stopLock) {
                    userCodeRunning = false;
                }
            }
        }

        @Override
        public String varValue(String className, String varName) throws RunException, EngineTerminationException,
                InternalException {
            synchronized (stopLock) {
                userCodeRunning = true;
            }
            try {
                return super.varValue(className, varName);
            } finally {
                synchronized (stopLock) {
                    userCodeRunning = false;
                }
            }
        }

        /**
         * Stops the running snippet: finds the agent thread inside user code and throws the agent's
         * stop exception into it, which the agent reports to JShell as a stopped execution.
         */
        @Override
        public void stop() throws EngineTerminationException, InternalException {
            synchronized (stopLock) {
                if (!userCodeRunning) {
                    return;
                }
                VirtualMachine v = vm();
                ReferenceType base = v.classesByName(AGENT_BASE).stream().findFirst()
                        .orElseThrow(() -> new InternalException("agent class " + AGENT_BASE + " not loaded"));
                Field inClientCode = base.fieldByName("inClientCode");
                Field expectingStop = base.fieldByName("expectingStop");
                Field stopException = base.fieldByName("stopException");
                v.suspend();
                try {
                    for (ThreadReference thread : v.allThreads()) {
                        ObjectReference agent = agentInvoking(thread);
                        if (agent == null) {
                            continue;
                        }
                        if (((BooleanValue) agent.getValue(inClientCode)).value()) {
                            agent.setValue(expectingStop, v.mirrorOf(true));
                            ObjectReference stop = (ObjectReference) agent.getValue(stopException);
                            v.resume();
                            thread.stop(stop);
                            agent.setValue(expectingStop, v.mirrorOf(false));
                        }
                        return;
                    }
                } catch (com.sun.jdi.InvalidTypeException | com.sun.jdi.ClassNotLoadedException e) {
                    throw new InternalException("could not stop the running cell: " + e);
                } catch (VMDisconnectedException e) {
                    throw new EngineTerminationException("the Java process for user code is gone");
                } finally {
                    try {
                        v.resume();
                    } catch (VMDisconnectedException e) {
                        // nothing left to resume
                    }
                }
            }
        }

        /** The agent object when {@code thread} is inside the agent's invoke or varValue, else null. */
        private static ObjectReference agentInvoking(ThreadReference thread) {
            try {
                for (StackFrame frame : thread.frames()) {
                    String method = frame.location().method().name();
                    if (method.equals("invoke") || method.equals("varValue")) {
                        ObjectReference self = frame.thisObject();
                        if (self != null && self.referenceType().name().equals(Agent.class.getName())) {
                            return self;
                        }
                    }
                }
            } catch (IncompatibleThreadStateException e) {
                // a thread that is not suspended cannot be running user code for us
            }
            return null;
        }

        @Override
        public void close() {
            super.close();
            closed.set(true);
            dispose();
        }

        private void dispose() {
            try {
                vm.dispose();
            } catch (VMDisconnectedException e) {
                // already gone
            } catch (RuntimeException e) {
                // nothing more can be done with a broken connection
            }
            process.destroy();
        }

        @Override
        protected VirtualMachine vm() throws EngineTerminationException {
            if (!process.isAlive()) {
                throw new EngineTerminationException("the Java process for user code is gone");
            }
            return vm;
        }
    }
}
