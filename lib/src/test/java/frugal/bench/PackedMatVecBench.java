package frugal.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import frugal.binary.DenseLinear;
import frugal.binary.PackedLinear;
import frugal.core.HelperThreads;
import frugal.core.Devices;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Batch-1 matrix-vector product, {@code y = x W~^T} with W~ an n x n binarized weight: the 1-bit packed Java
 * kernels ({@link PackedLinear}: the plain-Java one always, the Vector API one where this JVM picks it, i.e. JDK 25+
 * with {@code --add-modules jdk.incubator.vector} on AVX-512) against fp32 through DJL / libtorch ({@code NDArray.matMul} of 1 x n by n x n)
 * and, for reference, the plain-Java fp32 loop ({@link DenseLinear}). Every side computes the same product
 * (checked once), is warmed up, then timed in interleaved rounds (fp32, packed, Java fp32, ...); the median
 * round is reported. libtorch's threads come from {@code -Dai.djl.pytorch.num_threads}, the Java side's from the
 * threads argument: scripts/bench-packed sets both to the same number.
 *
 * <p>Arguments: threads [rounds [ms per round [sizes...]]]; defaults 1, 5, 1000, 1024 4096 8192.
 */
public final class PackedMatVecBench {
    private PackedMatVecBench() {}

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        long roundMs = args.length > 2 ? Long.parseLong(args[2]) : 1000;
        int[] sizes = args.length > 3 ? Arrays.stream(args, 3, args.length).mapToInt(Integer::parseInt).toArray()
                : new int[] {1024, 4096, 8192};
        System.out.printf(Locale.ROOT, "%s; threads: Java %d, libtorch %s%n", Devices.describe(), threads,
                System.getProperty("ai.djl.pytorch.num_threads", "default"));
        System.out.println("packed kernel picked here: " + PackedLinear.defaultKernel());
        System.out.printf(Locale.ROOT, "memory bandwidth (the limit for weights that leave the caches): %.1f GB/s"
                + " reading a 1 GiB long[] on 1 thread, best of 3%n", readBandwidthGBs());
        try (NDManager manager = NDManager.newBaseManager(Devices.best()); HelperThreads pool = HelperThreads.of(threads)) {
            for (int n : sizes) {
                run(n, manager, pool, rounds, roundMs);
            }
        }
    }

    private static void run(int n, NDManager manager, HelperThreads pool, int rounds, long roundMs) {
        Random random = new Random(n);
        float[] latent = gaussian(random, n * n);
        float[] alpha = new float[n];
        float[] beta = new float[n];
        for (int j = 0; j < n; j++) {
            alpha[j] = 0.01f + 0.02f * random.nextFloat();
            beta[j] = 0.001f * (float) random.nextGaussian();
        }
        PackedLinear picked = PackedLinear.of(latent, n, n, alpha, beta, null);
        List<PackedLinear> kernels = picked.kernel().startsWith("scalar") ? List.of(picked)
                : List.of(picked.onKernel("scalar"), picked);
        float[] effective = picked.unpacked();
        latent = null; // let the latent weights go before timing
        DenseLinear dense = new DenseLinear(n, n, effective, null);
        float[] x = gaussian(random, n);
        float[] yPacked = new float[n];
        float[] yDense = new float[n];
        try (NDManager scope = manager.newSubManager()) {
            // W~^T as in x out, so the product is x (1 x in) matMul W~^T
            NDArray weightT = scope.create(effective, new Shape(n, n)).transpose().duplicate();
            NDArray input = scope.create(x, new Shape(1, n));
            float[] yTorch = input.matMul(weightT).toFloatArray();
            List<Runnable> sides = new ArrayList<>();
            sides.add(() -> input.matMul(weightT).close());
            StringBuilder check = new StringBuilder();
            for (PackedLinear k : kernels) {
                k.apply(x, yPacked, pool);
                check.append(String.format(Locale.ROOT, " %s %.2e,", name(k), maxDiff(yTorch, yPacked)));
                sides.add(() -> k.apply(x, yPacked, pool));
            }
            sides.add(() -> dense.apply(x, yDense, pool));
            System.out.printf(Locale.ROOT, "%d x %d: max |packed - libtorch|%s max |libtorch| %.2e; weights fp32"
                    + " %.1f MiB, packed %.2f MiB%n", n, n, check, maxAbs(yTorch), dense.weightBytes() / 1048576.0,
                    picked.weightBytes() / 1048576.0);
            for (Runnable r : sides) {
                time(r, roundMs / 2); // warm-up: JIT and caches
            }
            double[][] ms = new double[sides.size()][rounds];
            for (int round = 0; round < rounds; round++) { // interleaved, so drifting load hits every side alike
                for (int side = 0; side < sides.size(); side++) {
                    ms[side][round] = time(sides.get(side), roundMs);
                }
            }
            double t = median(ms[0]);
            double j = median(ms[sides.size() - 1]);
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "matvec n=%d ms: fp32_libtorch=%.4f", n, t));
            for (int k = 0; k < kernels.size(); k++) {
                line.append(String.format(Locale.ROOT, " packed_%s=%.4f", name(kernels.get(k)), median(ms[k + 1])));
            }
            line.append(String.format(Locale.ROOT, " fp32_java=%.4f", j));
            for (int k = 0; k < kernels.size(); k++) {
                double p = median(ms[k + 1]);
                line.append(String.format(Locale.ROOT, "; %s: speedup_vs_libtorch=%.2f speedup_vs_java_fp32=%.2f"
                        + " packed GB/s %.2f", name(kernels.get(k)), t / p, j / p, kernels.get(k).weightBytes() / p / 1e6));
            }
            line.append(String.format(Locale.ROOT, "; fp32 libtorch GB/s %.2f", dense.weightBytes() / t / 1e6));
            System.out.println(line);
        }
    }

    /** "scalar" or "vector": the first word of the layer's kernel. */
    private static String name(PackedLinear layer) {
        return layer.kernel().split(" ")[0];
    }

    /**
     * GB/s of one thread summing a 1 GiB array, more than the caches hold (480 MiB L3 on the Xeon VM measured
     * for issue 15): the bandwidth a weight stream from memory can reach at most.
     */
    static double readBandwidthGBs() {
        long[] data = new long[1 << 27];
        java.util.Arrays.fill(data, 1L);
        double best = 0;
        long sink = 0;
        for (int round = 0; round < 3; round++) {
            long t0 = System.nanoTime();
            long a0 = 0;
            long a1 = 0;
            for (int i = 0; i < data.length; i += 2) {
                a0 += data[i];
                a1 += data[i + 1];
            }
            sink += a0 + a1;
            best = Math.max(best, 8.0 * data.length / (System.nanoTime() - t0));
        }
        if (sink != 3L * data.length) {
            throw new IllegalStateException("bandwidth loop summed " + sink);
        }
        return best;
    }

    /** Mean milliseconds per call over about {@code budgetMs} of calls. */
    static double time(Runnable r, long budgetMs) {
        long end = System.nanoTime() + budgetMs * 1_000_000L;
        long start = System.nanoTime();
        long calls = 0;
        long now;
        do {
            r.run();
            calls++;
            now = System.nanoTime();
        } while (now < end);
        return (now - start) / 1e6 / calls;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static float[] gaussian(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    private static double maxDiff(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }

    private static double maxAbs(float[] a) {
        double d = 0;
        for (float v : a) {
            d = Math.max(d, Math.abs(v));
        }
        return d;
    }
}
