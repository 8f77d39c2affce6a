package frugal.galore;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import frugal.core.FrugalException;
import frugal.nn.TinyGpt;
import frugal.mup.ParamRole;
import frugal.train.AdamW;
import frugal.train.Optimizer;
import frugal.train.ParamGroup;
import frugal.train.TrainableParams;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * GaLore (Zhao et al., ICML 2024) as a wrapper of {@link AdamW}: each selected weight matrix's gradient G is
 * projected onto its top-r singular subspace ({@link Projector}: the smaller side, basis refreshed by a truncated
 * SVD every {@code updateGap} steps), AdamW runs on the projected gradient R, so its moments are r x n instead of
 * m x n, and the update is projected back and scaled by alpha:
 *
 * <pre>
 *   every T steps: P = top-r singular vectors of G        R = P^T G
 *   W -= lr wd W;    W += alpha P (AdamW step on R)
 * </pre>
 *
 * Parameters that are not selected (embeddings, norms, the head, biases) get plain AdamW. The wrapped AdamW sees,
 * in place of each projected matrix, a zero r x n "update buffer": its in-place step turns the buffer into the
 * low-rank update, which is projected back into the matrix and zeroed again. So the Adam arithmetic (bias
 * correction, epsilon, the fused engine call) is AdamW's own. Adam's moments are kept across subspace refreshes,
 * as in the authors' implementation.
 */
public final class GaLore implements Optimizer {
    /** {@link Config#updateGap()} for a basis computed at the first step and never again (T = infinity). */
    public static final int NEVER = 0;

    /**
     * @param rank r, per matrix cut to the matrix's smaller side
     * @param updateGap T: the basis is recomputed at steps 1, T + 1, 2T + 1, ...; {@link #NEVER} keeps the first
     * @param scale alpha, multiplies the projected-back update
     */
    public record Config(int rank, int updateGap, double scale) {
        public Config {
            if (rank < 1) {
                throw new FrugalException("GaLore rank must be >= 1, got " + rank);
            }
            if (updateGap < 0) {
                throw new FrugalException("GaLore updateGap must be >= 1 steps, or GaLore.NEVER (0) for a fixed basis;"
                        + " got " + updateGap);
            }
            if (!(scale > 0) || Double.isInfinite(scale)) {
                throw new FrugalException("GaLore scale (alpha) must be finite and > 0, got " + scale);
            }
        }

        /** "r 32, T 200, alpha 0.25" (T ∞ for a fixed basis). */
        public String describe() {
            return String.format(Locale.ROOT, "r %d, T %s, alpha %s", rank,
                    updateGap == NEVER ? "\u221e" : String.valueOf(updateGap), scale);
        }
    }

    /**
     * One projected matrix and the state it costs.
     *
     * @param path the parameter
     * @param rows, cols the matrix
     * @param rank the rank used
     * @param side which side the basis spans ("left": rows x r, "right": cols x r)
     * @param momentBytes Adam's two moments of the projected gradient, as allocated
     * @param basisBytes the projection matrix, as allocated
     * @param bufferBytes the low-rank update buffer the wrapped AdamW writes into
     */
    public record Matrix(String path, long rows, long cols, int rank, String side, long momentBytes,
            long basisBytes, long bufferBytes) {
        /** Predicted state in float32: moments 2 r n and basis m r, m the smaller side, n the larger. */
        public long predictedStateBytes() {
            long m = Math.min(rows, cols);
            long n = Math.max(rows, cols);
            return 4 * (2L * rank * n + m * rank);
        }

        /** AdamW's moments of the full matrix: 2 m n floats. */
        public long fullRankStateBytes() {
            return 4 * 2L * rows * cols;
        }
    }

    private static final String KIND = "galore-adamw";

    private final TrainableParams params;
    private final List<TrainableParams.Entry> entries;
    private final Config config;
    private final NDManager manager;
    /** Per entry: its projector, or null for plain AdamW. */
    private final Projector[] projectors;
    /** Per entry: the low-rank update buffer the inner AdamW writes, or null. */
    private final NDArray[] buffers;
    private final AdamW adam;

    public GaLore(TrainableParams params, Config config, AdamW.Config adamConfig,
            Predicate<TrainableParams.Entry> projected) {
        if (params.entries().stream().noneMatch(projected)) {
            throw new FrugalException("GaLore: no parameter was selected for projection; select the weight matrices"
                    + " (e.g. GaLore.hiddenMatrices(model)) or train with plain AdamW");
        }
        this.params = params;
        this.entries = params.entries();
        this.config = config;
        this.manager = entries.get(0).array().getManager().newSubManager();
        this.projectors = new Projector[entries.size()];
        this.buffers = new NDArray[entries.size()];
        List<TrainableParams.Entry> inner = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            TrainableParams.Entry e = entries.get(i);
            if (!projected.test(e)) {
                inner.add(e);
                continue;
            }
            projectors[i] = new Projector(e.array().getShape(), config.rank(), manager);
            buffers[i] = manager.zeros(projectors[i].projectedShape(), e.array().getDataType(), e.array().getDevice());
            ParamGroup g = e.group();
            // alpha folded into the buffer's learning rate; W's own decay is applied here, so none on the buffer
            inner.add(new TrainableParams.Entry(e.path(), buffers[i],
                    new ParamGroup(g.name() + "/galore", g.lrMultiplier() * config.scale(), 0.0)));
        }
        this.adam = new AdamW(TrainableParams.of(inner), adamConfig);
    }

    /** A factory for the training loop. */
    public static Optimizer.Factory factory(Config config, AdamW.Config adamConfig,
            Predicate<TrainableParams.Entry> projected) {
        return params -> new GaLore(params, config, adamConfig, projected);
    }

    /** Selects the Linear weight matrices inside TinyGpt's blocks (attention and MLP), as the paper does. */
    public static Predicate<TrainableParams.Entry> hiddenMatrices(TinyGpt model) {
        Set<String> paths = new HashSet<>();
        model.getParameters().forEach(p -> {
            if (model.roleOf(p.getValue()) == ParamRole.HIDDEN_MATRIX) {
                paths.add(p.getKey());
            }
        });
        return e -> paths.contains(e.path());
    }

    /** Selects every parameter with two dimensions. */
    public static Predicate<TrainableParams.Entry> allMatrices() {
        return e -> e.array().getShape().dimension() == 2;
    }

    public Config config() {
        return config;
    }

    @Override
    public TrainableParams params() {
        return params;
    }

    @Override
    public void step(NDList gradients, double lr, double gradScale) {
        if (gradients.size() != entries.size()) {
            throw new IllegalArgumentException("expected " + entries.size() + " gradients, got " + gradients.size());
        }
        long t = adam.stepCount() + 1;
        boolean refresh = t == 1 || config.updateGap() != NEVER && (t - 1) % config.updateGap() == 0;
        NDList inner = new NDList(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            NDArray g = gradients.get(i);
            if (projectors[i] == null) {
                inner.add(g);
                continue;
            }
            if (refresh) {
                projectors[i].refresh(g);
            }
            inner.add(projectors[i].project(g));
            TrainableParams.Entry e = entries.get(i);
            double decay = lr * e.group().lrMultiplier() * e.group().weightDecay();
            if (decay > 0) {
                e.array().muli(1 - decay);
            }
        }
        adam.step(inner, lr, gradScale);
        try (NDManager scope = manager.newSubManager()) {
            for (int i = 0; i < entries.size(); i++) {
                if (projectors[i] != null) {
                    NDArray w = entries.get(i).array();
                    w.addi(projectors[i].projectBack(buffers[i], scope));
                    buffers[i].muli(0);
                    TrainableParams.zeroGradient(w);
                }
            }
        }
    }

    @Override
    public long stepCount() {
        return adam.stepCount();
    }

    @Override
    public String kind() {
        return KIND;
    }

    /** The projected matrices with their ranks and state bytes, in parameter order. */
    public List<Matrix> matrices() {
        List<Matrix> list = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            Projector p = projectors[i];
            if (p != null) {
                long buffer = bytes(buffers[i]);
                var shape = entries.get(i).array().getShape();
                list.add(new Matrix(entries.get(i).path(), shape.get(0), shape.get(1), p.rank(),
                        p.side().name().toLowerCase(Locale.ROOT), 2 * buffer, bytes(p.basis()), buffer));
            }
        }
        return list;
    }

    /**
     * Bytes of the optimiser state as allocated: the wrapped AdamW's moments (low-rank for projected matrices,
     * full for the rest) and the projection bases. The update buffers are counted apart ({@link #bufferBytes}).
     */
    public long stateBytes() {
        long n = adam.stateBytes();
        for (Projector p : projectors) {
            if (p != null) {
                n += bytes(p.basis());
            }
        }
        return n;
    }

    /** Bytes of the low-rank update buffers (one r x n per projected matrix; a fused kernel would not need them). */
    public long bufferBytes() {
        long n = 0;
        for (NDArray b : buffers) {
            if (b != null) {
                n += bytes(b);
            }
        }
        return n;
    }

    @Override
    public void saveState(DataOutputStream out) throws IOException {
        out.writeUTF(KIND);
        out.writeUTF(config.describe());
        adam.saveState(out);
        for (int i = 0; i < entries.size(); i++) {
            if (projectors[i] != null) {
                out.writeUTF(entries.get(i).path());
                for (float v : projectors[i].basis().toFloatArray()) {
                    out.writeFloat(v);
                }
            }
        }
    }

    @Override
    public void loadState(DataInputStream in) throws IOException {
        String kind = in.readUTF();
        String saved = in.readUTF();
        if (!kind.equals(KIND) || !saved.equals(config.describe())) {
            throw new FrugalException("the saved optimiser state is " + kind + " (" + saved + ") but this optimiser is "
                    + KIND + " (" + config.describe() + "): resume with the optimiser the checkpoint was written with");
        }
        adam.loadState(in);
        for (int i = 0; i < entries.size(); i++) {
            if (projectors[i] != null) {
                String path = in.readUTF();
                if (!path.equals(entries.get(i).path())) {
                    throw new FrugalException("the saved GaLore state holds the basis of " + path + " where the model has "
                            + entries.get(i).path() + ": the checkpoint was written for a different model");
                }
                float[] basis = new float[(int) projectors[i].basis().size()];
                for (int j = 0; j < basis.length; j++) {
                    basis[j] = in.readFloat();
                }
                projectors[i].basis().set(basis);
            }
        }
    }

    @Override
    public void close() {
        adam.close();
        manager.close();
    }

    private static long bytes(NDArray a) {
        return a.size() * a.getDataType().getNumOfBytes();
    }
}
