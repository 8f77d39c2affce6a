package frugal.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import frugal.core.Engines;
import frugal.core.ThreadGradients;
import frugal.nn.TinyGpt;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What one op of the d 64 training step costs, forward and backward, one PyTorch thread: the ops of a
 * {@code TinyGpt} slice (batch 16, context 64, d 64, 4 heads, MLP 256, vocab 96) one at a time, each call in its
 * own scope under autograd with a backward from a ones seed, as the step runs them; plus a one-element add, which
 * is all per-op overhead (DJL, JNI, the dispatcher, autograd). {@code scripts/bench ops} runs it beside
 * {@code scripts/bench-peer/op_cost.py}, the same ops in PyTorch, and prints the ratio per op.
 *
 * <p>Args: calls per round (default 1000). Prints {@code op NAME us=... cpu_us=...} per op, the median of 5 rounds.
 */
public final class OpCostBench {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private OpCostBench() {}

    public static void main(String[] args) {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        Engines.pytorch();
        try (NDManager root = NDManager.newBaseManager()) {
            root.getEngine().setRandomSeed(1);
            NDArray x = leaf(root, 16, 64, 64);
            NDArray hidden = leaf(root, 16, 64, 256);
            NDArray gamma = leaf(root, 64);
            NDArray beta = leaf(root, 64);
            NDArray up = leaf(root, 256, 64);
            NDArray upBias = leaf(root, 256);
            NDArray q = leaf(root, 16, 4, 64, 16);
            NDArray kT = leaf(root, 16, 4, 16, 64);
            NDArray scores = leaf(root, 16, 4, 64, 64);
            NDArray logits = leaf(root, 16, 64, 96);
            NDArray targets = root.randomInteger(0, 96, new Shape(16, 64), DataType.INT64);
            NDArray one = leaf(root, 1);
            Map<String, Op> ops = new LinkedHashMap<>();
            ops.put("add_1_element", new Op(() -> one.add(one), one));
            ops.put("add_residual", new Op(() -> x.add(x), x));
            ops.put("layer_norm", new Op(() -> LayerNorm.layerNorm(x, new Shape(64), gamma, beta, 1e-5f)
                    .singletonOrThrow(), x));
            ops.put("linear_64_256", new Op(() -> Linear.linear(x, up, upBias).singletonOrThrow(), x));
            ops.put("gelu_256", new Op(() -> Activation.gelu(hidden), hidden));
            ops.put("attention_matmul", new Op(() -> q.matMul(kT), q));
            ops.put("softmax", new Op(() -> scores.softmax(-1), scores));
            ops.put("cross_entropy", new Op(() -> TinyGpt.loss(logits, targets), logits, targets));
            for (Map.Entry<String, Op> op : ops.entrySet()) {
                double[] wall = new double[5];
                double[] cpu = new double[5];
                run(root, op.getValue(), calls); // warm-up: a fifth of this left the JIT cold for the first op
                for (int r = 0; r < wall.length; r++) {
                    long c0 = THREADS.getCurrentThreadCpuTime();
                    long t0 = System.nanoTime();
                    run(root, op.getValue(), calls);
                    wall[r] = (System.nanoTime() - t0) / 1e3 / calls;
                    cpu[r] = (THREADS.getCurrentThreadCpuTime() - c0) / 1e3 / calls;
                }
                System.out.printf(Locale.ROOT, "op %s us=%.1f cpu_us=%.1f%n", op.getKey(),
                        PackedMatVecBench.median(wall), PackedMatVecBench.median(cpu));
            }
        }
    }

    private static NDArray leaf(NDManager manager, long... shape) {
        NDArray a = manager.randomNormal(new Shape(shape));
        a.setRequiresGradient(true);
        return a;
    }

    /**
     * An op and the inputs whose manager its results land on (DJL puts a result on its first operand's manager),
     * lent to each call's scope so that nothing piles up.
     */
    private record Op(Supplier<NDArray> forward, NDArray... firstOperands) {}

    /** {@code calls} forward + backward passes of {@code op}, each in its own scope. */
    private static void run(NDManager root, Op op, int calls) {
        for (int i = 0; i < calls; i++) {
            try (NDManager scope = root.newSubManager(); ThreadGradients gradients = ThreadGradients.collect()) {
                for (NDArray a : op.firstOperands()) {
                    a.tempAttach(scope);
                }
                gradients.backward(op.forward().get());
            }
        }
    }
}
