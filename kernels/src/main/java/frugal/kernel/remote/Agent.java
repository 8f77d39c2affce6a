package frugal.kernel.remote;

import frugal.core.Display;
import jdk.jshell.execution.RemoteExecutionControl;
import jdk.jshell.execution.Util;
import sun.misc.Signal;

import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The main class of the JVM that runs notebook code: JShell's remote agent, plus what the notebook
 * needs on this side.
 *
 * <ul>
 *   <li>the notebook {@link Display} sink is installed before any cell runs;</li>
 *   <li>the value of each snippet is kept (not only its text), so the kernel can ask for the last
 *       one to be rendered richly ({@link #RENDER_LAST}), here where the object lives;</li>
 *   <li>SIGINT is ignored: the kernel decides when a cell stops, so a Ctrl-C in a terminal that
 *       reaches the whole process group does not kill the user's state;</li>
 *   <li>the PyTorch engine starts in the background, so the first DJL operation is quick.</li>
 * </ul>
 * Interrupts arrive through JDI, as for JShell's own agent (see the kernel's RemoteJvm).
 */
public final class Agent extends RemoteExecutionControl {
    /** The kernel invokes {@code Agent.renderLast()} through JShell's protocol to get a cell's result. */
    public static final String RENDER_LAST = "renderLast";
    /** System property: start the PyTorch engine at launch (default true). */
    public static final String PREWARM_PROPERTY = "frugal.kernel.prewarm";

    private static final Object NONE = new Object();
    private static volatile Object last = NONE;
    private static volatile Frames frames;

    private Agent() {}

    /**
     * Reads the kernel's port and secret from standard input, connects back, and serves JShell's
     * protocol until the kernel goes away; then this JVM exits.
     */
    public static void main(String[] args) throws Exception {
        Signal.handle(new Signal("INT"), s -> { });
        String token = System.getProperty(Frames.TOKEN_PROPERTY, "");
        int port = Integer.parseInt(readLine(System.in));
        byte[] secret = Base64.getDecoder().decode(readLine(System.in));
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            OutputStream toKernel = socket.getOutputStream();
            toKernel.write(secret);
            toKernel.flush();
            Map<String, Consumer<OutputStream>> outputs = new HashMap<>();
            outputs.put("out", st -> {
                // buffered, so a printf's pieces travel as one message; flushed at each newline, by
                // flushEvery below, and by JShell after every snippet
                PrintStream out = new PrintStream(new BufferedOutputStream(st, 1 << 16), true, StandardCharsets.UTF_8);
                System.setOut(out);
                frames = new Frames(out, token);
                Display.install(new NotebookSink(frames));
                flushEvery(out, FLUSH_MILLIS);
            });
            outputs.put("err", st -> System.setErr(new PrintStream(st, true, StandardCharsets.UTF_8)));
            Map<String, Consumer<InputStream>> inputs = new HashMap<>();
            inputs.put("in", System::setIn);
            if (Boolean.parseBoolean(System.getProperty(PREWARM_PROPERTY, "true"))) {
                prewarm();
            }
            Util.forwardExecutionControlAndIO(new Agent(), socket.getInputStream(), toKernel, outputs, inputs);
        }
        // the kernel closed the connection: user threads must not keep this JVM alive
        System.exit(0);
    }

    /** Renders the last kept value and sends it as the cell's result; called by the kernel. */
    static String renderLast() {
        Object v = last;
        last = NONE;
        if (v == NONE || frames == null) {
            return "none";
        }
        MimeBundle bundle = MimeRenderer.render(v);
        if (bundle.isEmpty()) {
            return "empty";
        }
        frames.send(Frames.Kind.RESULT, "-", bundle);
        return "sent";
    }

    /** Sends clear_output for the running cell ({@link Notebook#clearOutput}); nothing outside the kernel. */
    static void clearOutput(boolean wait) {
        Frames f = frames;
        if (f != null) {
            f.send(Frames.Kind.CLEAR, wait ? "wait" : "now", MimeBundle.empty());
        }
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        return name.equals(Agent.class.getName()) ? Agent.class : super.findClass(name);
    }

    @Override
    protected String invoke(Method doit) throws Exception {
        if (doit.getDeclaringClass() == Agent.class) {
            return (String) doit.invoke(null);
        }
        last = NONE;
        last = doit.invoke(null);
        // the kernel renders values itself (renderLast); JShell's text form would cost a toString()
        return "";
    }

    @Override
    public String varValue(String className, String varName)
            throws RunException, EngineTerminationException, InternalException {
        try {
            Field f = findClass(className).getDeclaredField(varName);
            f.setAccessible(true);
            last = f.get(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            last = NONE;
        }
        return super.varValue(className, varName);
    }

    /** Text printed without a newline (progress dots) shows within this many milliseconds. */
    static final long FLUSH_MILLIS = 100;

    private static void flushEvery(PrintStream out, long millis) {
        Thread t = new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(millis);
                } catch (InterruptedException e) {
                    return;
                }
                out.flush();
            }
        }, "frugal-stdout-flush");
        t.setDaemon(true);
        t.start();
    }

    private static void prewarm() {
        Thread t = new Thread(() -> {
            try {
                Class.forName("frugal.core.Engines").getMethod("pytorch").invoke(null);
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                // the first cell that uses DJL reports the problem with the library's own message
            }
        }, "frugal-engine-prewarm");
        t.setDaemon(true);
        t.start();
    }

    private static String readLine(InputStream in) throws java.io.IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            line.append((char) c);
        }
        return line.toString();
    }
}
