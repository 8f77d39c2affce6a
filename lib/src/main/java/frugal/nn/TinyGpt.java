package frugal.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import frugal.core.FrugalException;
import frugal.nn.LinearFactory.Role;
import frugal.mup.MupConfig;
import frugal.mup.MupModel;
import frugal.mup.ParamRole;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A small GPT in the style of nanoGPT: token embedding + learned positions, {@code layers} pre-norm
 * blocks (LayerNorm -> causal multi-head self-attention -> residual; LayerNorm -> MLP with GELU ->
 * residual), a final LayerNorm and an untied linear head. Tokens (B x T, int64) in, logits
 * (B x T x vocab) out. Follows {@link MupConfig} (see there for the rules); every Linear inside the
 * blocks comes from a {@link LinearFactory}.
 *
 * <p>Parameter paths ({@code getParameters()} keys), with L layers:
 * <pre>
 *   tok_emb, pos_emb                                   embeddings (vocab x d, context x d)
 *   {i+1:02d}block{i}_01ln_1_gamma / _beta             i = 0 .. L-1
 *   {i+1:02d}block{i}_02attn_qkv_weight / _bias        fused q, k, v: 3d x d
 *   {i+1:02d}block{i}_03attn_proj_weight / _bias
 *   {i+1:02d}block{i}_04ln_2_gamma / _beta
 *   {i+1:02d}block{i}_05mlp_up_weight / _bias
 *   {i+1:02d}block{i}_06mlp_down_weight / _bias
 *   {L+1:02d}ln_f_gamma / _beta
 *   {L+2:02d}head_weight                               vocab x d, no bias
 * </pre>
 * Biases and LayerNorm shifts exist only when {@code bias} is set (without it a LayerNorm keeps a fixed,
 * untrained zero {@code beta}). {@link #roleOf} gives each parameter's muP role without parsing names.
 */
public final class TinyGpt extends AbstractBlock implements MupModel {

    /**
     * @param vocab vocabulary size
     * @param context maximum sequence length T
     * @param layers number of transformer blocks L
     * @param dModel width d
     * @param heads attention heads; must divide dModel
     * @param mlpRatio MLP hidden width / d (4 in GPT-2)
     * @param dropout drop rate on embeddings, attention weights and branch outputs while training
     * @param bias whether Linears and LayerNorms have biases
     * @param mup muP settings ({@link MupConfig#disabled()} for the standard parametrization)
     */
    public record Config(
            int vocab, int context, int layers, int dModel, int heads, int mlpRatio, float dropout, boolean bias,
            MupConfig mup) {
        public Config {
            requirePositive("vocab", vocab);
            requirePositive("context", context);
            requirePositive("layers", layers);
            requirePositive("dModel", dModel);
            requirePositive("heads", heads);
            requirePositive("mlpRatio", mlpRatio);
            if (dModel % heads != 0) {
                throw new FrugalException("TinyGpt.Config: dModel " + dModel + " is not divisible by heads " + heads
                        + "; pick heads among the divisors of dModel");
            }
            if (!(dropout >= 0 && dropout < 1)) {
                throw new FrugalException("TinyGpt.Config: dropout must be in [0, 1), got " + dropout);
            }
            if (mup == null) {
                throw new FrugalException("TinyGpt.Config: mup is null; use MupConfig.disabled() for standard GPT");
            }
        }

        /** GPT-2 defaults: MLP ratio 4, no dropout, biases, muP off. */
        public static Config of(int vocab, int context, int layers, int dModel, int heads) {
            return new Config(vocab, context, layers, dModel, heads, 4, 0f, true, MupConfig.disabled());
        }

        public int headDim() {
            return dModel / heads;
        }

        public Config withMup(MupConfig m) {
            return new Config(vocab, context, layers, dModel, heads, mlpRatio, dropout, bias, m);
        }

        /** The same model at another width (for width sweeps and muP transfer). */
        public Config withWidth(int newDModel, int newHeads) {
            return new Config(vocab, context, layers, newDModel, newHeads, mlpRatio, dropout, bias, mup);
        }

        public Config withBias(boolean b) {
            return new Config(vocab, context, layers, dModel, heads, mlpRatio, dropout, b, mup);
        }

        private static void requirePositive(String name, int value) {
            if (value <= 0) {
                throw new FrugalException("TinyGpt.Config: " + name + " must be > 0, got " + value);
            }
        }
    }

    private final Config config;
    private final Parameter tokEmb;
    private final Parameter posEmb;
    private final List<TransformerBlock> blocks = new ArrayList<>();
    private final Block lnF;
    private final Block head;
    private final Map<Parameter, ParamRole> roles = new IdentityHashMap<>();
    /** Mask and multipliers, made once next to the parameters on the first forward. */
    private volatile Constants constants;

    /** A model whose block Linears are DJL's dense {@link Linear}. */
    public TinyGpt(Config config) {
        this(config, LinearFactory.dense());
    }

    public TinyGpt(Config config, LinearFactory linears) {
        this(config, linears, null);
    }

    /** A model whose blocks' MLP branches come from {@code mlps} (null: the dense MLP of {@code linears}). */
    public TinyGpt(Config config, LinearFactory linears, MlpFactory mlps) {
        this.config = config;
        MupConfig mup = config.mup();
        int d = config.dModel();
        NormalInitializer embeddingInit = new NormalInitializer((float) mup.initStd());
        tokEmb = addParameter(embedding("tok_emb", config.vocab(), d, embeddingInit));
        posEmb = addParameter(embedding("pos_emb", config.context(), d, embeddingInit));
        roles.put(tokEmb, ParamRole.EMBEDDING);
        roles.put(posEmb, ParamRole.EMBEDDING);
        for (int i = 0; i < config.layers(); i++) {
            TransformerBlock block = addChildBlock("block" + i, new TransformerBlock(config, linears, mlps, i));
            blocks.add(block);
            block.registerRoles(roles);
        }
        lnF = addChildBlock("ln_f", layerNorm(config.bias()));
        putRoles(lnF, ParamRole.VECTOR);
        head = addChildBlock("head", Linear.builder().setUnits(config.vocab()).optBias(false).build());
        head.setInitializer(new NormalInitializer((float) mup.initStd()), Parameter.Type.WEIGHT);
        putRoles(head, ParamRole.HEAD);
    }

    public Config config() {
        return config;
    }

    @Override
    public MupConfig mup() {
        return config.mup();
    }

    @Override
    public int width() {
        return config.dModel();
    }

    @Override
    public ParamRole roleOf(Parameter parameter) {
        ParamRole role = roles.get(parameter);
        if (role == null) {
            throw new FrugalException("Parameter " + parameter.getName() + " does not belong to this TinyGpt;"
                    + " build the grouping from the model being trained");
        }
        return role;
    }

    /**
     * Every Linear made by the {@link LinearFactory}, block by block in the order q/k/v, out, up, down (up and
     * down only where no {@link MlpFactory} replaced the MLP).
     */
    public List<Block> blockLinears() {
        List<Block> all = new ArrayList<>();
        for (TransformerBlock b : blocks) {
            all.addAll(b.mlp == null ? List.of(b.qkv, b.proj, b.up, b.down) : List.of(b.qkv, b.proj));
        }
        return Collections.unmodifiableList(all);
    }

    /** Initialises the parameters for token batches of any size (up to the context). */
    public void initialize(NDManager manager) {
        initialize(manager, DataType.FLOAT32, new Shape(1, config.context()));
    }

    /** All trainable parameters (initialised model). */
    public long parameterCount() {
        return count(false);
    }

    /** Kaplan's N: trainable parameters without the token and position embeddings (the head counts). */
    public long nonEmbeddingParameterCount() {
        return count(true);
    }

    private long count(boolean skipEmbeddings) {
        if (!isInitialized()) {
            throw new FrugalException("TinyGpt parameters have no shapes yet: call model.initialize(manager) first");
        }
        long n = 0;
        for (Parameter p : getParameters().values()) {
            if (p.requiresGradient() && !(skipEmbeddings && roles.get(p) == ParamRole.EMBEDDING)) {
                n += p.getShape().size();
            }
        }
        return n;
    }

    /**
     * Mean next-token cross-entropy over all B x T positions: log-softmax, pick the target, average.
     *
     * @param logits B x T x vocab
     * @param targets B x T token ids (int64 or int32)
     */
    public static NDArray loss(NDArray logits, NDArray targets) {
        Shape ls = logits.getShape();
        if (ls.dimension() != 3 || !targets.getShape().equals(ls.slice(0, 2))) {
            throw new FrugalException("TinyGpt.loss: logits must be B x T x vocab and targets B x T, got "
                    + ls + " and " + targets.getShape());
        }
        NDArray index = targets.getDataType() == DataType.INT64 ? targets : targets.toType(DataType.INT64, false);
        return logits.logSoftmax(-1).gather(index.expandDims(-1), -1).mean().neg();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray tokens = inputs.singletonOrThrow();
        long t = checkTokens(tokens);
        Device device = tokens.getDevice();
        NDManager manager = tokens.getManager();
        NDArray wte = ps.getValue(tokEmb, device, training);
        NDArray wpe = ps.getValue(posEmb, device, training);
        NDArray x = tokens.getNDArrayInternal().embedding(tokens, wte, SparseFormat.DENSE).singletonOrThrow();
        // slices of parameters go to the batch's manager, not the model's, so steps do not leak
        x = x.addi(t == config.context() ? wpe : wpe.get(manager, new NDIndex(":{}", t)));
        Constants k = constants();
        if (k.embeddingScale() != null) {
            x = x.muli(k.embeddingScale());
        }
        x = dropout(x, training);
        NDArray mask = t == config.context()
                ? k.causalMask()
                : k.causalMask().get(manager, new NDIndex(":{}, :{}", t, t));
        for (TransformerBlock block : blocks) {
            x = block.forward(ps, new NDList(x, mask), training, params).head();
        }
        x = lnF.forward(ps, new NDList(x), training, params).singletonOrThrow();
        NDArray logits = head.forward(ps, new NDList(x), training, params).singletonOrThrow();
        if (k.logitScale() != null) {
            logits = logits.muli(k.logitScale());
        }
        return new NDList(logits);
    }

    /**
     * Continues {@code prompt} by {@code n} tokens: greedy when {@code temperature == 0}, else sampled from
     * softmax(logits / temperature) with a generator seeded by {@code seed}. The model sees at most the
     * last {@code context} tokens. Each step runs in its own sub-manager of {@code manager}.
     *
     * @return the prompt followed by the new tokens
     */
    public int[] generate(NDManager manager, int[] prompt, int n, double temperature, long seed) {
        if (prompt.length == 0 || n < 0 || !(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new FrugalException("generate needs a non-empty prompt, n >= 0 and a finite temperature >= 0;"
                    + " got prompt length " + prompt.length + ", n " + n + ", temperature " + temperature);
        }
        for (int token : prompt) {
            checkToken(token);
        }
        if (!isInitialized()) {
            throw new FrugalException("TinyGpt.generate needs a trained (or at least initialised) model:"
                    + " call model.initialize(manager) or train it first");
        }
        Random random = new Random(seed);
        int[] out = Arrays.copyOf(prompt, prompt.length + n);
        ParameterStore ps = new ParameterStore(manager, false);
        for (int i = prompt.length; i < out.length; i++) {
            int from = Math.max(0, i - config.context());
            long[] window = new long[i - from];
            for (int j = from; j < i; j++) {
                window[j - from] = out[j];
            }
            try (NDManager step = manager.newSubManager()) {
                NDArray tokens = step.create(window, new Shape(1, window.length));
                NDArray logits = forward(ps, new NDList(tokens), false).singletonOrThrow();
                float[] last = logits.get(step, new NDIndex(0, window.length - 1)).toFloatArray();
                out[i] = TokenSampler.next(last, temperature, random);
            }
        }
        return out;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), s.get(1), config.vocab())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape hidden = new Shape(inputShapes[0].get(0), inputShapes[0].get(1), config.dModel());
        for (TransformerBlock block : blocks) {
            block.initialize(manager, dataType, hidden);
        }
        lnF.initialize(manager, dataType, hidden);
        head.initialize(manager, dataType, hidden);
    }

    private long checkTokens(NDArray tokens) {
        Shape s = tokens.getShape();
        if (s.dimension() != 2 || s.get(1) < 1 || s.get(1) > config.context() || !tokens.getDataType().isInteger()) {
            throw new FrugalException("TinyGpt expects integer tokens of shape B x T with 1 <= T <= context ("
                    + config.context() + "), got " + tokens.getDataType() + " " + s);
        }
        return s.get(1);
    }

    private void checkToken(int token) {
        if (token < 0 || token >= config.vocab()) {
            throw new FrugalException("token id " + token + " is outside the vocabulary [0, " + config.vocab() + ")");
        }
    }

    // slices of one batch may run forward on several threads at once (TrainConfig.sliceThreads): made under a
    // lock once, then read without one (a contended lock parked a slice's thread for 0.4 ms)
    private Constants constants() {
        Constants k = constants;
        if (k == null) {
            synchronized (this) {
                if (constants == null) {
                    constants = Constants.make(config, tokEmb.getArray().getManager());
                }
                k = constants;
            }
        }
        return k;
    }

    /**
     * The causal mask (context x context: 0 on and below the diagonal, -inf above) and the muP multipliers
     * as 0-d arrays (null when 1), owned by the model. Multipliers must not be plain numbers: DJL 0.36's
     * {@code mul(Number)} wraps the number in a temporary array and closes it at once, while autograd keeps
     * that array for the backward; the JVM may free and reuse its memory before the backward runs, which
     * gives NaN or silently wrong gradients.
     */
    private record Constants(
            NDArray causalMask, NDArray embeddingScale, NDArray residualScale, NDArray attentionScale,
            NDArray logitScale) {
        static Constants make(Config c, NDManager manager) {
            int n = c.context();
            float[] mask = new float[n * n];
            for (int row = 0; row < n; row++) {
                Arrays.fill(mask, row * n + row + 1, (row + 1) * n, Float.NEGATIVE_INFINITY);
            }
            MupConfig mup = c.mup();
            return new Constants(manager.create(mask, new Shape(n, n)),
                    scalar(manager, mup.embeddingScale()), scalar(manager, mup.residualScale()),
                    manager.create((float) mup.attentionScale(c.headDim())),
                    scalar(manager, mup.logitScale(c.dModel())));
        }

        private static NDArray scalar(NDManager manager, double value) {
            return value == 1.0 ? null : manager.create((float) value);
        }
    }

    private NDArray dropout(NDArray x, boolean training) {
        return training && config.dropout() > 0
                ? Dropout.dropout(x, config.dropout(), true).singletonOrThrow()
                : x;
    }

    private void putRoles(Block block, ParamRole role) {
        for (Parameter p : block.getParameters().values()) {
            roles.put(p, role);
        }
    }

    private static Parameter embedding(String name, int rows, int d, NormalInitializer init) {
        return Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(rows, d)).optInitializer(init).build();
    }

    private static Block layerNorm(boolean bias) {
        return LayerNorm.builder().axis(2).optCenter(bias).build();
    }

    /** Pre-norm transformer block; children ln_1, attn_qkv, attn_proj, ln_2, mlp_up, mlp_down (or one mlp). */
    private final class TransformerBlock extends AbstractBlock {
        private final Block ln1;
        private final Block qkv;
        private final Block proj;
        private final Block ln2;
        private final Block up;
        private final Block down;
        /** The factory's MLP branch; null when up and down make the dense one. */
        private final Block mlp;

        TransformerBlock(Config c, LinearFactory linears, MlpFactory mlps, int layer) {
            int d = c.dModel();
            int hidden = c.mlpRatio() * d;
            ln1 = addChildBlock("ln_1", layerNorm(c.bias()));
            qkv = linear(linears, Role.ATTN_QKV, d, 3 * d, c);
            proj = linear(linears, Role.ATTN_PROJ, d, d, c);
            ln2 = addChildBlock("ln_2", layerNorm(c.bias()));
            mlp = mlps == null ? null : addChildBlock("mlp", mlps.create(c, layer));
            up = mlp != null ? null : linear(linears, Role.MLP_UP, d, hidden, c);
            down = mlp != null ? null : linear(linears, Role.MLP_DOWN, hidden, d, c);
        }

        /** The factory's Linear for {@code role} with its init std, added as the child named after the role. */
        private Block linear(LinearFactory linears, Role role, int in, int out, Config c) {
            Block block = linears.create(role, in, out, c.bias());
            if (block == null) {
                throw new FrugalException("LinearFactory returned null for " + role.childName());
            }
            MupConfig mup = c.mup();
            double std = role.isOutputProjection()
                    ? mup.outputProjectionInitStd(c.dModel(), c.layers())
                    : mup.hiddenInitStd(c.dModel());
            block.setInitializer(new NormalInitializer((float) std), Parameter.Type.WEIGHT);
            return addChildBlock(role.childName(), block);
        }

        void registerRoles(Map<Parameter, ParamRole> roles) {
            for (Block norm : List.of(ln1, ln2)) {
                for (Parameter p : norm.getParameters().values()) {
                    roles.put(p, ParamRole.VECTOR);
                }
            }
            for (Block linear : mlp != null ? List.of(qkv, proj, mlp) : List.of(qkv, proj, up, down)) {
                for (Parameter p : linear.getParameters().values()) {
                    roles.put(p, p.getType() == Parameter.Type.WEIGHT ? ParamRole.HIDDEN_MATRIX : ParamRole.VECTOR);
                }
            }
        }

        /** Inputs: the hidden state B x T x d and the additive causal mask T x T. */
        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            NDArray x = inputs.get(0);
            NDArray mask = inputs.get(1);
            Shape s = x.getShape();
            long b = s.get(0);
            long t = s.get(1);
            int heads = config.heads();
            int headDim = config.headDim();

            NDArray h = apply(ln1, ps, x, training, params);
            NDList qkvParts = apply(qkv, ps, h, training, params).split(3, 2);
            NDArray q = qkvParts.get(0).reshape(b, t, heads, headDim).transpose(0, 2, 1, 3); // B x H x T x Dh
            NDArray kT = qkvParts.get(1).reshape(b, t, heads, headDim).transpose(0, 2, 3, 1); // B x H x Dh x T
            NDArray v = qkvParts.get(2).reshape(b, t, heads, headDim).transpose(0, 2, 1, 3);
            // scaling q (B.H.T.Dh) is cheaper than scaling the T x T scores; matmul's backward does not need
            // its output, so the mask can be added in place
            NDArray scores = q.mul(constants.attentionScale()).matMul(kT).addi(mask);
            NDArray attention = dropout(scores.softmax(-1), training);
            NDArray y = attention.matMul(v).swapAxes(1, 2).reshape(b, t, config.dModel());
            x = x.add(branch(apply(proj, ps, y, training, params), training));

            h = apply(ln2, ps, x, training, params);
            h = mlp != null ? apply(mlp, ps, h, training, params)
                    : apply(down, ps, Activation.gelu(apply(up, ps, h, training, params)), training, params);
            return new NDList(x.add(branch(h, training)));
        }

        /** A residual branch's output: times m_res under muP (out of place: the factory's op may need it). */
        private NDArray branch(NDArray out, boolean training) {
            NDArray scale = constants.residualScale();
            return dropout(scale != null ? out.mul(scale) : out, training);
        }

        private NDArray apply(
                Block block, ParameterStore ps, NDArray in, boolean training, PairList<String, Object> params) {
            return block.forward(ps, new NDList(in), training, params).singletonOrThrow();
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {inputShapes[0]};
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            Shape hidden = inputShapes[0];
            Shape wide = new Shape(hidden.get(0), hidden.get(1), (long) config.mlpRatio() * config.dModel());
            ln1.initialize(manager, dataType, hidden);
            qkv.initialize(manager, dataType, hidden);
            proj.initialize(manager, dataType, hidden);
            ln2.initialize(manager, dataType, hidden);
            if (mlp != null) {
                mlp.initialize(manager, dataType, hidden);
            } else {
                up.initialize(manager, dataType, hidden);
                down.initialize(manager, dataType, wide);
            }
        }
    }
}
