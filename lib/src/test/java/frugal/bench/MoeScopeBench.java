package frugal.bench;

import ai.djl.ndarray.NDManager;
import frugal.core.Devices;
import frugal.moe.BalanceScope;
import frugal.moe.MoeExperiment;
import frugal.moe.MoeRun;
import java.util.Locale;

/**
 * Times one MoE run per balancing scope of notebook 06's full budget and prints what it measured:
 * {@code scripts/run frugal.bench.MoeScopeBench [steps] [alpha] [seed]}.
 */
public final class MoeScopeBench {
    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        MoeExperiment full = MoeExperiment.forBudget("full");
        double alpha = args.length > 1 ? Double.parseDouble(args[1]) : full.alpha();
        int seed = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        MoeExperiment e = new MoeExperiment("full", full.data(), full.model(), full.moe(), full.batch(),
                full.microBatchSequences(), full.scopes(), steps, full.lr(), alpha, 1, steps, full.valBatches(),
                full.valRows());
        System.out.println(Devices.describe());
        long t0 = System.nanoTime();
        var data = e.loadData();
        System.out.printf(Locale.ROOT, "%s (%.1f s)%n", data, (System.nanoTime() - t0) / 1e9);
        try (NDManager manager = NDManager.newBaseManager()) {
            for (BalanceScope scope : e.scopes()) {
                MoeRun r = e.run(data, scope, seed, manager);
                System.out.printf(Locale.ROOT, "%-28s %d steps %.1f s (%.1f ms/step)  val loss %.4f  MI %.3f bits"
                        + "  max/mean load %.2f  losses %s%n", scope.label(), steps, r.trainSeconds(),
                        1000 * r.trainSeconds() / steps, r.stats().meanLoss(), r.stats().meanMutualInformation(),
                        r.stats().worstLoad(), java.util.Arrays.toString(r.stats().loss()));
            }
        }
    }
}
