package frugal.kernel;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A minimal Jupyter client for tests: starts the real kernel ({@code java @kernel.args}) with a
 * connection file and talks the wire protocol over ZeroMQ (shell, control, iopub), signing with
 * HMAC-SHA256 as Jupyter does.
 */
final class KernelClient implements AutoCloseable {
    /** What one execute_request produced: the shell reply and the iopub messages for it. */
    record Execution(JsonObject reply, List<JsonObject> messages) {
        String status() {
            return reply.get("status").getAsString();
        }

        /** iopub messages of one type, each as {msg_type, content}. */
        List<JsonObject> of(String type) {
            return messages.stream().filter(m -> m.get("msg_type").getAsString().equals(type))
                    .map(m -> m.getAsJsonObject("content")).toList();
        }

        /** Everything printed to a stream (stdout / stderr), joined. */
        String stream(String name) {
            StringBuilder out = new StringBuilder();
            for (JsonObject c : of("stream")) {
                if (c.get("name").getAsString().equals(name)) {
                    out.append(c.get("text").getAsString());
                }
            }
            return out.toString();
        }

        /** The execute_result's data for a MIME type, or null. */
        String result(String mime) {
            List<JsonObject> r = of("execute_result");
            if (r.isEmpty() || !r.get(0).getAsJsonObject("data").has(mime)) {
                return null;
            }
            return r.get(0).getAsJsonObject("data").get(mime).getAsString();
        }

        JsonObject error() {
            List<JsonObject> e = of("error");
            return e.isEmpty() ? null : e.get(0);
        }
    }

    /** A whole message as the kernel sent it (header, parent_header, metadata, content) and its channel. */
    record Received(String channel, JsonObject message) {
        String type() {
            return message.getAsJsonObject("header").get("msg_type").getAsString();
        }

        String parentId() {
            return KernelClient.parentId(message);
        }

        JsonObject content() {
            return message.getAsJsonObject("content");
        }
    }

    private static final Gson GSON = new Gson();
    private static final String DELIMITER = "<IDS|MSG>";

    private final Process process;
    private final ZContext zmq = new ZContext();
    private final ZMQ.Socket shell;
    private final ZMQ.Socket control;
    private final ZMQ.Socket iopub;
    private final Mac mac;
    private final String session = UUID.randomUUID().toString();
    private final Path connectionFile;
    private final StringBuilder kernelLog = new StringBuilder();
    /** Messages for requests other than the one awaited, kept for a later await (requests may be queued). */
    private final List<JsonObject> laterIopub = new ArrayList<>();
    private final List<JsonObject> laterShell = new ArrayList<>();
    /** Every message received from the kernel, in order, for tests that check the wire format. */
    private final List<Received> transcript = new ArrayList<>();
    /** Every request sent: message id to msg_type, in order. */
    private final Map<String, String> requests = new LinkedHashMap<>();

    private KernelClient(Map<String, String> env) throws Exception {
        String key = UUID.randomUUID().toString();
        int[] ports = freePorts(5);
        JsonObject conn = new JsonObject();
        conn.addProperty("ip", "127.0.0.1");
        conn.addProperty("transport", "tcp");
        conn.addProperty("shell_port", ports[0]);
        conn.addProperty("iopub_port", ports[1]);
        conn.addProperty("stdin_port", ports[2]);
        conn.addProperty("control_port", ports[3]);
        conn.addProperty("hb_port", ports[4]);
        conn.addProperty("key", key);
        conn.addProperty("signature_scheme", "hmac-sha256");
        conn.addProperty("kernel_name", "frugal-java");
        connectionFile = Files.createTempFile("frugal-kernel-test", ".json");
        Files.writeString(connectionFile, GSON.toJson(conn));

        Path home = Path.of(System.getProperty("frugal.kernel.home", "target"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "@" + home.resolve("kernel.args"), connectionFile.toString());
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        process = pb.start();
        Thread log = new Thread(() -> {
            // line by line, so a kernel that hangs while alive still shows what it printed
            try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    synchronized (kernelLog) {
                        kernelLog.append(line).append('\n');
                    }
                }
            } catch (IOException e) {
                // kernel gone
            }
        });
        log.setDaemon(true);
        log.start();

        mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        shell = zmq.createSocket(SocketType.DEALER);
        shell.connect("tcp://127.0.0.1:" + ports[0]);
        control = zmq.createSocket(SocketType.DEALER);
        control.connect("tcp://127.0.0.1:" + ports[3]);
        iopub = zmq.createSocket(SocketType.SUB);
        iopub.subscribe(new byte[0]);
        iopub.connect("tcp://127.0.0.1:" + ports[1]);
        for (ZMQ.Socket s : List.of(shell, control, iopub)) {
            s.setReceiveTimeOut(50);
            s.setLinger(0);
        }
    }

    /** Starts a kernel and waits until it answers on shell and iopub. */
    static KernelClient start(Map<String, String> env) throws Exception {
        KernelClient c = new KernelClient(env);
        Instant deadline = Instant.now().plusSeconds(60);
        // iopub is a subscription: ask for kernel_info until its status messages reach us
        while (true) {
            if (Instant.now().isAfter(deadline) || !c.process.isAlive()) {
                String threads = c.process.isAlive() ? c.threadDump() : "";
                String log = c.log();
                c.close();
                throw new IllegalStateException("kernel did not start; its output:\n" + log + threads);
            }
            String id = c.send(c.shell, "kernel_info_request", new JsonObject());
            if (c.await(id, Duration.ofSeconds(2), false) != null) {
                return c;
            }
        }
    }

    static KernelClient start() throws Exception {
        return start(Map.of());
    }

    Execution execute(String code) {
        return execute(code, Duration.ofSeconds(120));
    }

    Execution execute(String code, Duration timeout) {
        Execution e = await(submit(code), timeout, true);
        if (e == null) {
            throw new AssertionError("no reply to " + code + " within " + timeout + "; kernel output:\n" + log());
        }
        return e;
    }

    /** An execute_request with the given content (silent, store_history, user_expressions, ...). */
    Execution execute(JsonObject content) {
        Execution e = await(send(shell, "execute_request", content), Duration.ofSeconds(120), true);
        if (e == null) {
            throw new AssertionError("no reply to " + content + "; kernel output:\n" + log());
        }
        return e;
    }

    /** Sends an execute_request without waiting; returns its message id. */
    String submit(String code) {
        JsonObject content = new JsonObject();
        content.addProperty("code", code);
        content.addProperty("silent", false);
        content.addProperty("store_history", true);
        content.add("user_expressions", new JsonObject());
        content.addProperty("allow_stdin", false);
        content.addProperty("stop_on_error", true);
        return send(shell, "execute_request", content);
    }

    /** A shell request (complete_request, inspect_request, ...) and its reply's content. */
    JsonObject request(String type, JsonObject content) {
        Execution e = await(send(shell, type, content), Duration.ofSeconds(60), true);
        if (e == null) {
            throw new AssertionError("no reply to " + type + "; kernel output:\n" + log());
        }
        return e.reply();
    }

    /** interrupt_request on the control channel (the kernelspec's interrupt_mode is "message"). */
    JsonObject interrupt() {
        return control("interrupt_request", new JsonObject());
    }

    /** A request on the control channel and its reply's content. */
    JsonObject control(String type, JsonObject content) {
        String id = send(control, type, content);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < end) {
            JsonObject m = receive(control);
            if (m != null && parentId(m).equals(id)) {
                return m.getAsJsonObject("content");
            }
        }
        throw new AssertionError("no reply to " + type + " on control");
    }

    /** Sends a shell request without waiting; returns its message id. */
    String send(String type, JsonObject content) {
        return send(shell, type, content);
    }

    /** The requests sent so far, message id to msg_type. */
    Map<String, String> requests() {
        synchronized (requests) {
            return new LinkedHashMap<>(requests);
        }
    }

    /** The messages received so far, oldest first. */
    List<Received> transcript() {
        synchronized (transcript) {
            return List.copyOf(transcript);
        }
    }

    /** Reads whatever the kernel still sends for {@code millis} (late iopub messages) into the transcript. */
    void drain(long millis) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < end) {
            JsonObject m = receive(iopub);
            if (m != null) {
                laterIopub.add(m);
            }
        }
    }

    /**
     * Collects iopub messages for {@code id} until its idle status, and (when {@code reply}) its shell reply.
     * Null on timeout.
     */
    Execution await(String id, Duration timeout, boolean reply) {
        List<JsonObject> messages = new ArrayList<>();
        JsonObject shellReply = null;
        boolean idle = false;
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end && (!idle || (reply && shellReply == null))) {
            JsonObject m = next(iopub, laterIopub, id);
            if (m != null) {
                String type = m.getAsJsonObject("header").get("msg_type").getAsString();
                if (type.equals("status")) {
                    idle |= m.getAsJsonObject("content").get("execution_state").getAsString().equals("idle");
                } else {
                    JsonObject slim = new JsonObject();
                    slim.addProperty("msg_type", type);
                    slim.add("content", m.getAsJsonObject("content"));
                    messages.add(slim);
                }
            }
            JsonObject s = next(shell, laterShell, id);
            if (s != null) {
                shellReply = s.getAsJsonObject("content");
            }
        }
        if (!idle || (reply && shellReply == null)) {
            return null;
        }
        return new Execution(shellReply, messages);
    }

    /** The next message for request {@code id}: kept from earlier reads, or read now (others are kept). */
    private JsonObject next(ZMQ.Socket socket, List<JsonObject> kept, String id) {
        for (int i = 0; i < kept.size(); i++) {
            if (parentId(kept.get(i)).equals(id)) {
                return kept.remove(i);
            }
        }
        JsonObject m = receive(socket);
        if (m == null) {
            return null;
        }
        if (parentId(m).equals(id)) {
            return m;
        }
        kept.add(m);
        return null;
    }

    boolean alive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** The threads of a kernel that is alive but does not answer (jcmd of this JDK), to show where it waits. */
    private String threadDump() {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process dump = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "Thread.print")
                    .redirectErrorStream(true).start();
            String out = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            dump.waitFor(30, TimeUnit.SECONDS);
            return "\nthe kernel's threads (" + jcmd + " Thread.print):\n" + out;
        } catch (IOException e) {
            return "\nno thread dump: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "\nno thread dump: interrupted";
        }
    }

    String log() {
        synchronized (kernelLog) {
            return kernelLog.toString();
        }
    }

    private String send(ZMQ.Socket socket, String type, JsonObject content) {
        String id = UUID.randomUUID().toString();
        synchronized (requests) {
            requests.put(id, type);
        }
        JsonObject header = new JsonObject();
        header.addProperty("msg_id", id);
        header.addProperty("session", session);
        header.addProperty("username", "test");
        header.addProperty("date", Instant.now().toString());
        header.addProperty("msg_type", type);
        header.addProperty("version", "5.3");
        byte[][] parts = {
                GSON.toJson(header).getBytes(StandardCharsets.UTF_8),
                "{}".getBytes(StandardCharsets.UTF_8),
                "{}".getBytes(StandardCharsets.UTF_8),
                GSON.toJson(content).getBytes(StandardCharsets.UTF_8)};
        socket.sendMore(DELIMITER);
        socket.sendMore(sign(parts));
        for (int i = 0; i < parts.length; i++) {
            if (i < parts.length - 1) {
                socket.sendMore(parts[i]);
            } else {
                socket.send(parts[i]);
            }
        }
        return id;
    }

    private JsonObject receive(ZMQ.Socket socket) {
        List<byte[]> frames = new ArrayList<>();
        byte[] first = socket.recv();
        if (first == null) {
            return null;
        }
        frames.add(first);
        while (socket.hasReceiveMore()) {
            frames.add(socket.recv());
        }
        int at = 0;
        while (at < frames.size() && !new String(frames.get(at), StandardCharsets.UTF_8).equals(DELIMITER)) {
            at++;
        }
        byte[][] parts = {frames.get(at + 2), frames.get(at + 3), frames.get(at + 4), frames.get(at + 5)};
        String signature = new String(frames.get(at + 1), StandardCharsets.UTF_8);
        if (!signature.equals(sign(parts))) {
            throw new AssertionError("bad signature from the kernel");
        }
        JsonObject m = new JsonObject();
        m.add("header", parse(parts[0]));
        m.add("parent_header", parse(parts[1]));
        m.add("metadata", parse(parts[2]));
        m.add("content", parse(parts[3]));
        synchronized (transcript) {
            transcript.add(new Received(socket == shell ? "shell" : socket == control ? "control" : "iopub", m));
        }
        return m;
    }

    private static JsonElement parse(byte[] json) {
        return GSON.fromJson(new String(json, StandardCharsets.UTF_8), JsonElement.class);
    }

    static String parentId(JsonObject m) {
        JsonObject parent = m.getAsJsonObject("parent_header");
        return parent != null && parent.has("msg_id") ? parent.get("msg_id").getAsString() : "";
    }

    private synchronized String sign(byte[][] parts) {
        for (byte[] p : parts) {
            mac.update(p);
        }
        return HexFormat.of().formatHex(mac.doFinal());
    }

    private static int[] freePorts(int n) throws IOException {
        int[] ports = new int[n];
        List<ServerSocket> open = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0);
                open.add(s);
                ports[i] = s.getLocalPort();
            }
        } finally {
            for (ServerSocket s : open) {
                s.close();
            }
        }
        return ports;
    }

    static JsonObject json(Object... keyValues) {
        JsonObject o = new JsonObject();
        for (int i = 0; i < keyValues.length; i += 2) {
            o.add((String) keyValues[i], GSON.toJsonTree(keyValues[i + 1]));
        }
        return o;
    }

    static List<String> strings(JsonArray a) {
        List<String> out = new ArrayList<>();
        a.forEach(e -> out.add(e.getAsString()));
        return out;
    }

    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                JsonObject content = new JsonObject();
                content.addProperty("restart", false);
                send(control, "shutdown_request", content);
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            zmq.close();
            try {
                Files.deleteIfExists(connectionFile);
            } catch (IOException e) {
                // a temp file
            }
        }
    }
}
