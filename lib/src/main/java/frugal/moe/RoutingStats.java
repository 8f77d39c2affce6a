package frugal.moe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import frugal.core.FrugalException;
import frugal.nn.TinyGpt;
import frugal.train.Batch;
import frugal.train.BatchSource;
import frugal.train.Losses;
import java.util.List;

/**
 * Where an MoE model sends each domain's held-out tokens, and its held-out loss per domain: counts of top-k
 * picks per (layer, domain, expert). The specialisation measure is the mutual information between a pick's
 * domain and its expert (0 when every domain uses the experts alike; at most log2 of the domain count); the
 * balance measure is the corpus-level load of the busiest expert over the mean load.
 *
 * @param domains the domain names, in the order of the counts
 * @param counts picks per [layer][domain][expert]
 * @param loss held-out next-token cross-entropy per domain (nats)
 */
public record RoutingStats(List<String> domains, long[][][] counts, double[] loss) {
    public RoutingStats {
        domains = List.copyOf(domains);
        if (counts.length == 0 || counts[0].length != domains.size() || loss.length != domains.size()) {
            throw new FrugalException("RoutingStats: counts must be layers x domains x experts and loss one value per"
                    + " domain; got " + counts.length + " layers, " + domains.size() + " domains, "
                    + loss.length + " losses");
        }
    }

    /**
     * Runs {@code batches} held-out batches of {@code rows} windows of every domain through {@code model} (no
     * gradients; each batch in its own scope of {@code manager}) and counts the picks {@code trace} records.
     */
    public static RoutingStats measure(Block model, RoutingTrace trace, DomainMixture data, int batches, int rows,
            int context, NDManager manager) {
        int d = data.domains().size();
        long[][][] counts = new long[trace.size()][d][];
        double[] loss = new double[d];
        for (int dom = 0; dom < d; dom++) {
            BatchSource source = data.valBatches(dom, batches, rows, context);
            double sum = 0;
            for (int b = 0; b < batches; b++) {
                try (NDManager scope = manager.newSubManager()) {
                    Batch batch = source.batch(scope, b);
                    NDArray logits = Losses.forward(model, batch.inputs(), false).singletonOrThrow();
                    sum += TinyGpt.loss(logits, batch.targets().singletonOrThrow()).getFloat();
                    for (Routing r : trace.layers()) {
                        long[] c = r.counts(0, r.rows());
                        long[] acc = counts[r.layer()][dom];
                        if (acc == null) {
                            counts[r.layer()][dom] = c;
                        } else {
                            for (int e = 0; e < c.length; e++) {
                                acc[e] += c[e];
                            }
                        }
                    }
                }
            }
            loss[dom] = sum / batches;
        }
        return new RoutingStats(data.names(), counts, loss);
    }

    public int layers() {
        return counts.length;
    }

    public int experts() {
        return counts[0][0].length;
    }

    /** Held-out loss averaged over domains (each domain weighs the same). */
    public double meanLoss() {
        double s = 0;
        for (double l : loss) {
            s += l;
        }
        return s / loss.length;
    }

    /** Per domain, the share of its picks each expert got in {@code layer}: rows sum to 1. */
    public double[][] shares(int layer) {
        double[][] out = new double[domains.size()][experts()];
        for (int d = 0; d < out.length; d++) {
            long total = 0;
            for (long c : counts[layer][d]) {
                total += c;
            }
            for (int e = 0; e < experts(); e++) {
                out[d][e] = (double) counts[layer][d][e] / total;
            }
        }
        return out;
    }

    /** I(domain; expert) of the picks in {@code layer}, in bits. */
    public double mutualInformation(int layer) {
        long[][] c = counts[layer];
        double total = 0;
        double[] byDomain = new double[c.length];
        double[] byExpert = new double[experts()];
        for (int d = 0; d < c.length; d++) {
            for (int e = 0; e < experts(); e++) {
                total += c[d][e];
                byDomain[d] += c[d][e];
                byExpert[e] += c[d][e];
            }
        }
        double mi = 0;
        for (int d = 0; d < c.length; d++) {
            for (int e = 0; e < experts(); e++) {
                if (c[d][e] > 0) {
                    double joint = c[d][e] / total;
                    mi += joint * Math.log(joint / (byDomain[d] / total * byExpert[e] / total));
                }
            }
        }
        return mi / Math.log(2);
    }

    /** {@link #mutualInformation} averaged over layers. */
    public double meanMutualInformation() {
        double s = 0;
        for (int l = 0; l < layers(); l++) {
            s += mutualInformation(l);
        }
        return s / layers();
    }

    /** Over all domains' picks of {@code layer}: the busiest expert's load over the mean load (1 = balanced). */
    public double maxOverMeanLoad(int layer) {
        double[] load = new double[experts()];
        double total = 0;
        for (long[] row : counts[layer]) {
            for (int e = 0; e < row.length; e++) {
                load[e] += row[e];
                total += row[e];
            }
        }
        double max = 0;
        for (double l : load) {
            max = Math.max(max, l);
        }
        return max / (total / experts());
    }

    /** The worst {@link #maxOverMeanLoad} over layers. */
    public double worstLoad() {
        double w = 0;
        for (int l = 0; l < layers(); l++) {
            w = Math.max(w, maxOverMeanLoad(l));
        }
        return w;
    }
}
