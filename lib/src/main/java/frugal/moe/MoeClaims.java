package frugal.moe;

import frugal.claims.Claim;
import frugal.claims.ClaimsTable;
import frugal.claims.Verdict;
import frugal.stats.Difference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The claims of the paper card (shared/papers/moe-load-balancing.md) on an experiment's runs, each a paired
 * comparison over seeds (seed i gives every scope the same initialisation and batches), judged on the 95% t
 * interval: PASS only when the whole interval clears the bar, INCONCLUSIVE when it straddles it.
 */
public final class MoeClaims {
    /** C3's bar: the busiest expert takes at most this many times the mean load over the held-out corpus. */
    public static final double LOAD_BOUND = 2.0;

    private MoeClaims() {}

    public static ClaimsTable of(MoeResults results, boolean judged) {
        BalanceScope micro = results.micro();
        BalanceScope global = results.global();
        ClaimsTable table = new ClaimsTable("Global-batch vs micro-batch load balancing (" + results.experiment().seeds()
                + " seeds, paired)");
        table.add(Claim.beats("C1", "global-batch LBL reaches a lower held-out loss than micro-batch LBL at equal tokens"
                        + " (value: loss of " + micro.label() + " - loss of " + global.label() + ")",
                Difference.paired(loss(results, micro), loss(results, global)), 0, 1, " nats", judged));
        table.add(Claim.beats("C2", "experts specialise by domain under global-batch LBL more than under micro-batch"
                        + " LBL (value: I(domain; expert) of global - of micro, bits, mean over layers)",
                Difference.paired(mi(results, global), mi(results, micro)), 0, 1, " bits", judged));

        List<Verdict> balanced = new ArrayList<>();
        StringBuilder measured = new StringBuilder();
        for (BalanceScope s : List.of(micro, global)) {
            double[] load = results.values(s, r -> r.stats().worstLoad());
            double[] bound = new double[load.length];
            Arrays.fill(bound, LOAD_BOUND);
            Difference headroom = Difference.paired(bound, load);
            balanced.add(Claim.above(headroom, 0));
            measured.append(measured.length() == 0 ? "" : "; ").append(s.label()).append(": max/mean load ")
                    .append(MoeResults.meanSd(load)).append(", headroom ").append(headroom.describe());
        }
        table.add(Claim.judged("C3", "load stays balanced at corpus level under both scopes (the busiest expert's"
                        + " held-out load over the mean, worst layer)", measured.toString(),
                "both: interval of " + LOAD_BOUND + " - max/mean load above 0", Verdict.all(balanced), judged));

        List<Verdict> steps = new ArrayList<>();
        StringBuilder sweep = new StringBuilder();
        List<BalanceScope> scopes = results.experiment().scopes();
        for (int i = 0; i + 1 < scopes.size(); i++) {
            Difference d = Difference.paired(loss(results, scopes.get(i)), loss(results, scopes.get(i + 1)));
            steps.add(Claim.above(d, 0));
            sweep.append(i == 0 ? "" : "; ").append(scopes.get(i).sequences()).append(" -> ")
                    .append(scopes.get(i + 1).sequences()).append(" seq: ").append(d.describe(1, " nats"));
        }
        table.add(Claim.judged("C4", "a larger balancing batch helps monotonically (value: held-out loss drop from each"
                        + " balancing size to the next)", sweep.toString(), "every drop's interval above 0",
                Verdict.all(steps), judged));
        return table;
    }

    private static double[] loss(MoeResults results, BalanceScope scope) {
        return results.values(scope, r -> r.stats().meanLoss());
    }

    private static double[] mi(MoeResults results, BalanceScope scope) {
        return results.values(scope, r -> r.stats().meanMutualInformation());
    }
}
