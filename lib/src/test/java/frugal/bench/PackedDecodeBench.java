package frugal.bench;

import ai.djl.ndarray.NDManager;
import frugal.binary.FbiGpt;
import frugal.binary.PackedGpt;
import frugal.binary.PackedLinear;
import frugal.core.Devices;
import frugal.core.Seeds;
import frugal.nn.TinyGpt;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Batch-1 greedy decoding of a tiny GPT (random weights, no biases, vocabulary 96): tokens per second of the
 * 1-bit packed plain-Java decoder ({@link PackedGpt#pack}) against fp32 through the same plain-Java decoder
 * ({@link PackedGpt#fp32}, KV cache) and through DJL ({@link TinyGpt#generate}, which runs the whole window per
 * token). Each round generates {@code context - 1} tokens after a 1-token prompt; rounds are interleaved and the
 * median is reported. The plain-Java decoders run on one thread; DJL uses {@code -Dai.djl.pytorch.num_threads}.
 *
 * <p>Arguments: rounds [ms per round [dModel:layers:context ...]]; defaults 5, 1000, 128:4:64 (notebook 03's
 * full model) and 512:4:128.
 */
public final class PackedDecodeBench {
    private PackedDecodeBench() {}

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        long roundMs = args.length > 1 ? Long.parseLong(args[1]) : 1000;
        String[] models = args.length > 2 ? Arrays.copyOfRange(args, 2, args.length)
                : new String[] {"128:4:64", "512:4:128"};
        System.out.printf(Locale.ROOT, "%s; plain-Java decoders on 1 thread (packed kernel: %s), libtorch threads %s%n",
                Devices.describe(), PackedLinear.defaultKernel(), System.getProperty("ai.djl.pytorch.num_threads",
                "default"));
        for (String m : models) {
            String[] p = m.split(":");
            run(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]), rounds, roundMs);
        }
    }

    private static void run(int d, int layers, int context, int rounds, long roundMs) {
        TinyGpt.Config config = TinyGpt.Config.of(96, context, layers, d, Math.max(1, d / 32)).withBias(false);
        try (NDManager manager = NDManager.newBaseManager(Devices.best())) {
            Seeds.set(1);
            TinyGpt dense = new TinyGpt(config);
            dense.initialize(manager);
            TinyGpt binary = FbiGpt.binarized(config);
            binary.initialize(manager);
            PackedGpt packed = PackedGpt.pack(binary);
            PackedGpt fp32 = PackedGpt.fp32(dense);
            int n = context - 1;
            int[] prompt = {1};
            Supplier<int[]> bits = () -> packed.generate(prompt, n, 0, 1);
            Supplier<int[]> plain = () -> fp32.generate(prompt, n, 0, 1);
            Supplier<int[]> djl = () -> dense.generate(manager, prompt, n, 0, 1);
            long[] linear = packed.linearBytes();
            System.out.printf(Locale.ROOT, "d %d, %d layers, context %d: block Linears fp32 %.2f MiB, packed %.3f MiB%n",
                    d, layers, context, linear[0] / 1048576.0, linear[1] / 1048576.0);
            for (Supplier<int[]> s : List.of(bits, plain)) {
                tokensPerSecond(s, n, roundMs / 2); // warm-up
            }
            dense.generate(manager, prompt, 4, 0, 1);
            double[][] rates = new double[3][rounds];
            for (int r = 0; r < rounds; r++) {
                rates[0][r] = tokensPerSecond(bits, n, roundMs);
                rates[1][r] = tokensPerSecond(plain, n, roundMs);
                rates[2][r] = tokensPerSecond(djl, n, 0); // one call: DJL runs the whole window per token
            }
            double p = PackedMatVecBench.median(rates[0]);
            double j = PackedMatVecBench.median(rates[1]);
            double t = PackedMatVecBench.median(rates[2]);
            System.out.printf(Locale.ROOT, "decode d=%d layers=%d tokens/s: packed_java=%.0f fp32_java=%.0f fp32_djl=%.0f"
                    + " speedup_packed_vs_fp32_java=%.2f speedup_packed_vs_djl=%.2f%n", d, layers, p, j, t, p / j, p / t);
        }
    }

    private static double tokensPerSecond(Supplier<int[]> generate, int tokens, long budgetMs) {
        long start = System.nanoTime();
        long end = start + budgetMs * 1_000_000L;
        int calls = 0;
        long now;
        do {
            generate.get();
            calls++;
            now = System.nanoTime();
        } while (now < end);
        return (double) calls * tokens / ((now - start) / 1e9);
    }
}
