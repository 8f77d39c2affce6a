package frugal.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import frugal.core.Devices;
import frugal.core.GradMode;
import frugal.core.Seeds;
import frugal.nn.TinyGpt;
import frugal.train.Batch;
import frugal.train.BatchSource;
import frugal.train.GradClip;
import frugal.train.LossFunction;
import frugal.train.Losses;
import frugal.train.Optimizer;
import frugal.train.TrainableParams;
import frugal.train.TrainConfig;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where a tiny-GPT training step goes: the step of {@link frugal.train.Trainer} (the same calls: batch, forward and
 * loss, backward, gradients, global norm, AdamW) timed in sections with {@code System.nanoTime}, then a few steps
 * under libtorch's own profiler (DJL's {@code JniUtils.startProfile}): ops per step, the time inside top-level
 * libtorch ops, and the rest of the wall time, which is Java, JNI, NDManager bookkeeping and allocation.
 *
 * <p>Arguments: vocab ctx layers d heads batch warmup steps [profiled steps]; the same sizes as
 * {@link TinyGptStepBench}. Run the JVM with {@code -XX:StartFlightRecording} for the Java side.
 */
public final class TinyGptStepProfile {
    private TinyGptStepProfile() {}

    private static final ThreadMXBean THREAD = ManagementFactory.getThreadMXBean();
    private static final String[] SECTIONS = {"batch", "forward+loss", "backward", "loss read", "gradients",
        "grad norm", "optimizer", "scope close"};

    public static void main(String[] args) throws IOException {
        int[] a = {96, 128, 4, 128, 4, 32, 10, 50, 5};
        for (int i = 0; i < args.length && i < a.length; i++) {
            a[i] = Integer.parseInt(args[i]);
        }
        TinyGptStepBench.Size size = TinyGptStepBench.Size.of(a);
        int warmup = a[6];
        int steps = a[7];
        int profiled = a[8];
        GradMode.offInThisThread();
        try (NDManager manager = NDManager.newBaseManager(Devices.best())) {
            Seeds.set(0);
            TinyGpt model = new TinyGpt(size.config());
            model.initialize(manager);
            TrainConfig config = size.training(warmup + steps, 1);
            TrainableParams params = TrainableParams.of(model, config.grouping());
            LossFunction loss = LossFunction.of(Losses.softmaxCrossEntropy());
            BatchSource data = size.batches();
            double[] ns = new double[SECTIONS.length];
            double[] cpu = new double[SECTIONS.length];
            try (Optimizer optimizer = config.optimizer().create(params)) {
                for (int s = 0; s < warmup; s++) {
                    step(s, model, params, optimizer, loss, data, manager, null, null);
                }
                long t0 = System.nanoTime();
                for (int s = warmup; s < warmup + steps; s++) {
                    step(s, model, params, optimizer, loss, data, manager, ns, cpu);
                }
                double wallMs = (System.nanoTime() - t0) / 1e6 / steps;
                System.out.printf(Locale.ROOT, "%s; d %d, %d layers, context %d, batch %d; %d arrays trained%n",
                        Devices.describe(), size.d(), size.layers(), size.ctx(), size.batch(), params.size());
                double cpuMs = Arrays.stream(cpu).sum() / 1e6 / steps;
                System.out.printf(Locale.ROOT, "sections (mean of %d steps): wall %.3f ms/step, this thread's CPU %.3f"
                        + " ms/step (all of libtorch's work at 1 thread, robust to load)%n", steps, wallMs, cpuMs);
                for (int i = 0; i < SECTIONS.length; i++) {
                    System.out.printf(Locale.ROOT, "  %-12s wall %8.3f ms %5.1f%%   cpu %8.3f ms %5.1f%%%n", SECTIONS[i],
                            ns[i] / 1e6 / steps, 100 * ns[i] / 1e6 / steps / wallMs, cpu[i] / 1e6 / steps,
                            100 * cpu[i] / 1e6 / steps / cpuMs);
                }
                Path trace = Files.createTempFile("frugal-profile", ".json");
                JniUtils.startProfile(false, false, false);
                long p0 = System.nanoTime();
                for (int s = 0; s < profiled; s++) {
                    step(warmup + steps + s, model, params, optimizer, loss, data, manager, null, null);
                }
                double profiledMs = (System.nanoTime() - p0) / 1e6 / profiled;
                JniUtils.stopProfile(trace.toString());
                report(trace, profiled, profiledMs);
                Files.deleteIfExists(trace);
            }
        }
    }

    /** Trainer's step, section by section; {@code ns} (or null) accumulates nanoseconds per section. */
    private static void step(long s, TinyGpt model, TrainableParams params, Optimizer optimizer, LossFunction loss,
            BatchSource data, NDManager manager, double[] ns, double[] cpu) {
        long[] t = new long[SECTIONS.length + 1];
        long[] c = new long[SECTIONS.length + 1];
        t[0] = System.nanoTime();
        c[0] = THREAD.getCurrentThreadCpuTime();
        NDManager scope = manager.newSubManager();
        Engine.getInstance().setRandomSeed((int) s);
        Batch batch = data.batch(scope, s);
        t[1] = System.nanoTime();
        c[1] = THREAD.getCurrentThreadCpuTime();
        NDArray value;
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            value = loss.loss(model, batch.inputs(), batch.targets(), true);
            t[2] = System.nanoTime();
            c[2] = THREAD.getCurrentThreadCpuTime();
            collector.backward(value);
            t[3] = System.nanoTime();
            c[3] = THREAD.getCurrentThreadCpuTime();
        }
        value.getFloat();
        t[4] = System.nanoTime();
        c[4] = THREAD.getCurrentThreadCpuTime();
        NDList grads = params.gradients(scope);
        t[5] = System.nanoTime();
        c[5] = THREAD.getCurrentThreadCpuTime();
        double norm = GradClip.globalNorm(grads);
        t[6] = System.nanoTime();
        c[6] = THREAD.getCurrentThreadCpuTime();
        optimizer.step(grads, 3e-4, GradClip.scaleFor(norm, 1.0));
        t[7] = System.nanoTime();
        c[7] = THREAD.getCurrentThreadCpuTime();
        scope.close();
        t[8] = System.nanoTime();
        c[8] = THREAD.getCurrentThreadCpuTime();
        if (ns != null) {
            for (int i = 0; i < SECTIONS.length; i++) {
                ns[i] += t[i + 1] - t[i];
                cpu[i] += c[i + 1] - c[i];
            }
        }
    }

    /** Op counts and the time inside top-level ops (an op not nested in another on its thread) from the trace. */
    private static void report(Path trace, int steps, double wallMs) throws IOException {
        JsonElement root = JsonParser.parseString(Files.readString(trace));
        JsonArray events = root.isJsonArray() ? root.getAsJsonArray() : root.getAsJsonObject().getAsJsonArray("traceEvents");
        Map<String, List<double[]>> byThread = new HashMap<>();
        List<String> names = new ArrayList<>();
        for (JsonElement e : events) {
            JsonObject o = e.getAsJsonObject();
            if (!o.has("dur") || !"X".equals(o.get("ph").getAsString())) {
                continue;
            }
            names.add(o.get("name").getAsString());
            byThread.computeIfAbsent(o.get("tid").getAsString(), k -> new ArrayList<>())
                    .add(new double[] {o.get("ts").getAsDouble(), o.get("dur").getAsDouble(), names.size() - 1});
        }
        Map<String, double[]> top = new LinkedHashMap<>(); // name -> {count, total us}
        long all = names.size();
        long topCount = 0;
        double topUs = 0;
        for (List<double[]> list : byThread.values()) {
            list.sort(Comparator.comparingDouble(v -> v[0]));
            double end = Double.NEGATIVE_INFINITY;
            for (double[] v : list) {
                if (v[0] >= end) {
                    end = v[0] + v[1];
                    topCount++;
                    topUs += v[1];
                    double[] c = top.computeIfAbsent(names.get((int) v[2]), k -> new double[2]);
                    c[0]++;
                    c[1] += v[1];
                }
            }
        }
        double opMs = topUs / 1e3 / steps;
        System.out.printf(Locale.ROOT, "libtorch profiler (%d steps, %.3f ms/step under the profiler): %.0f ops per step"
                + " (%.0f top-level), %.3f ms/step inside top-level ops, %.3f ms/step (%.1f%%) outside them (Java, JNI,"
                + " NDManager, allocation)%n", steps, wallMs, (double) all / steps, (double) topCount / steps, opMs,
                wallMs - opMs, 100 * (wallMs - opMs) / wallMs);
        top.entrySet().stream().sorted((x, y) -> Double.compare(y.getValue()[1], x.getValue()[1])).limit(25)
                .forEach(en -> System.out.printf(Locale.ROOT, "  %-50s %6.1f per step %8.3f ms/step%n", en.getKey(),
                        en.getValue()[0] / steps, en.getValue()[1] / 1e3 / steps));
    }
}
