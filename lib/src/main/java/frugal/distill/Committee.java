package frugal.distill;

import ai.djl.ndarray.NDArray;
import frugal.core.FrugalException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * CV-DD's committee: teachers of different architectures, each with a prior, the accuracy (%) that data
 * distilled from that member alone reached. Recover optimises each synthetic image with a pair of members,
 * weighted {@code softmax(prior / 5)} within the pair; soft labels are {@code sum_i softmax(prior / 10)_i z_i}
 * over all members.
 */
public final class Committee {
    /** CV-DD's {@code weight_temperature} for the recover loss. */
    public static final double RECOVER_TEMPERATURE = 5;
    /** The temperature of the relabelling weights. */
    public static final double LABEL_TEMPERATURE = 10;

    /** A member and its prior (accuracy in % of data distilled from it alone). */
    public record Member(Teacher teacher, double prior) {
        public Member {
            if (teacher == null || !Double.isFinite(prior)) {
                throw new FrugalException("a committee member needs a teacher and a finite prior, got " + prior);
            }
        }
    }

    /** Which pair of members recovers the images of each IPC index, as in CV-DD's scripts. */
    public enum PairRule {
        /** IPC 1: the two members with the highest priors. */
        BEST,
        /** IPC 10: every pair in turn, in lexicographic member order. */
        ALL_IN_TURN,
        /** IPC 50: a random pair per IPC index. */
        RANDOM;

        public static PairRule forIpc(int ipc) {
            return ipc == 1 ? BEST : ipc <= 10 ? ALL_IN_TURN : RANDOM;
        }
    }

    private final List<Member> members;

    public Committee(List<Member> members) {
        if (members == null || members.size() < 2) {
            throw new FrugalException("a committee needs at least 2 members, got "
                    + (members == null ? 0 : members.size()));
        }
        this.members = List.copyOf(members);
    }

    public List<Member> members() {
        return members;
    }

    /** softmax(values / temperature), computed stably. */
    public static double[] softmax(double[] values, double temperature) {
        if (!(temperature > 0)) {
            throw new FrugalException("softmax temperature must be > 0, got " + temperature);
        }
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            max = Math.max(max, v);
        }
        double[] w = new double[values.length];
        double sum = 0;
        for (int i = 0; i < values.length; i++) {
            w[i] = Math.exp((values[i] - max) / temperature);
            sum += w[i];
        }
        for (int i = 0; i < w.length; i++) {
            w[i] /= sum;
        }
        return w;
    }

    /** The recover weights of the members {@code indices}: softmax(prior / 5) over those members. */
    public double[] recoverWeights(int... indices) {
        double[] priors = new double[indices.length];
        for (int i = 0; i < indices.length; i++) {
            priors[i] = members.get(indices[i]).prior();
        }
        return softmax(priors, RECOVER_TEMPERATURE);
    }

    /** The relabelling weights of all members: softmax(prior / 10). */
    public double[] labelWeights() {
        return softmax(members.stream().mapToDouble(Member::prior).toArray(), LABEL_TEMPERATURE);
    }

    /** Every pair of member indices, (0,1), (0,2), ..., (1,2), ... */
    public List<int[]> allPairs() {
        List<int[]> pairs = new ArrayList<>();
        for (int a = 0; a < members.size(); a++) {
            for (int b = a + 1; b < members.size(); b++) {
                pairs.add(new int[] {a, b});
            }
        }
        return pairs;
    }

    /** The pair of member indices for each IPC index 0..ipc-1 under {@code rule}. */
    public List<int[]> pairs(int ipc, PairRule rule, long seed) {
        List<int[]> all = allPairs();
        int[] best = all.stream().max((p, q) -> Double.compare(pairPrior(p), pairPrior(q))).orElseThrow();
        Random random = new Random(seed);
        List<int[]> chosen = new ArrayList<>(ipc);
        for (int k = 0; k < ipc; k++) {
            chosen.add(switch (rule) {
                case BEST -> best;
                case ALL_IN_TURN -> all.get(k % all.size());
                case RANDOM -> all.get(random.nextInt(all.size()));
            });
        }
        return chosen;
    }

    private double pairPrior(int[] pair) {
        return members.get(pair[0]).prior() + members.get(pair[1]).prior();
    }

    /** The member with the highest prior (ranks real images for the committee's initialisation). */
    public Teacher best() {
        return members.stream().max((a, b) -> Double.compare(a.prior(), b.prior())).orElseThrow().teacher();
    }

    /**
     * Committee soft labels: the label-weighted sum of the members' logits, with batch norm from the
     * running statistics or ({@code batchSpecific}) from each batch.
     */
    public Labeler labeler(boolean batchSpecific) {
        double[] w = labelWeights();
        List<Labeler> each = members.stream().map(m -> Labeler.of(m.teacher(), batchSpecific)).toList();
        return images -> {
            NDArray sum = null;
            for (int i = 0; i < each.size(); i++) {
                NDArray z = each.get(i).logits(images).mul((float) w[i]); // outside autograd: a Java number is safe
                sum = sum == null ? z : sum.add(z);
            }
            return sum;
        };
    }
}
