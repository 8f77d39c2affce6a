package frugal.binary;

import frugal.core.HelperThreads;
import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import frugal.core.FrugalException;
import frugal.core.Html;
import frugal.mup.MupConfig;
import frugal.nn.TinyGpt;
import frugal.nn.TokenSampler;
import frugal.plot.Plots;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Function;

/**
 * {@link TinyGpt} for batch-1 decoding in plain Java float arrays: embeddings, layer norms, causal attention
 * with a KV cache, GELU MLP and the head, with the transformer blocks' Linears behind {@link MatVec}.
 * {@link #pack} makes the 1-bit model of a binarized TinyGpt (block Linears are {@link FbiLinear}, run by
 * {@link PackedLinear}); {@link #fp32} makes the same decoder over dense fp32 weights, the baseline it is timed
 * against. Embeddings, norms and the head stay fp32 in both, as in FBI-LLM.
 *
 * <p>It computes what TinyGpt's forward computes (muP multipliers included, dropout off), so its logits equal
 * the DJL model's up to float rounding. Save and load a packed model with {@link #save} / {@link #load}.
 */
public final class PackedGpt {
    private static final float LAYER_NORM_EPS = 1e-5f;

    /**
     * Sizes and multipliers of the model.
     *
     * @param hidden MLP width (mlpRatio x dModel)
     * @param embeddingScale multiplies token + position embeddings (muP; 1 otherwise)
     * @param residualScale multiplies each branch before the residual add (muP; 1 otherwise)
     * @param attentionScale multiplies q before q.k (1/sqrt(head dim), or 1/head dim under muP)
     * @param logitScale multiplies the head's output (muP; 1 otherwise)
     */
    public record Spec(int vocab, int context, int layers, int dModel, int heads, int hidden, float embeddingScale,
            float residualScale, float attentionScale, float logitScale) {
        public Spec {
            if (vocab <= 0 || context <= 0 || layers <= 0 || dModel <= 0 || heads <= 0 || hidden <= 0
                    || dModel % heads != 0) {
                throw new FrugalException("PackedGpt.Spec: sizes must be positive and heads must divide dModel, got vocab "
                        + vocab + ", context " + context + ", layers " + layers + ", dModel " + dModel + ", heads "
                        + heads + ", hidden " + hidden);
            }
            for (float s : new float[] {embeddingScale, residualScale, attentionScale, logitScale}) {
                if (!(s > 0) || Float.isInfinite(s)) {
                    throw new FrugalException("PackedGpt.Spec: multipliers must be finite and > 0, got " + s);
                }
            }
        }

        /** The spec of a TinyGpt configuration. */
        public static Spec of(TinyGpt.Config c) {
            MupConfig mup = c.mup();
            return new Spec(c.vocab(), c.context(), c.layers(), c.dModel(), c.heads(), c.mlpRatio() * c.dModel(),
                    (float) mup.embeddingScale(), (float) mup.residualScale(), (float) mup.attentionScale(c.headDim()),
                    (float) mup.logitScale(c.dModel()));
        }

        public int headDim() {
            return dModel / heads;
        }
    }

    /** One transformer block: pre-norm attention and MLP, each with its layer norm. */
    public record Block(float[] ln1Gamma, float[] ln1Beta, MatVec qkv, MatVec proj, float[] ln2Gamma, float[] ln2Beta,
            MatVec up, MatVec down) {
        /** The block's Linears in TinyGpt's order. */
        public List<MatVec> linears() {
            return List.of(qkv, proj, up, down);
        }
    }

    /** Memory of one group of weights, as stored here and as fp32. */
    public record Bytes(String name, String shape, long fp32, long stored) {
        public double ratio() {
            return (double) stored / fp32;
        }
    }

    private final Spec spec;
    private final float[] tokEmb;
    private final float[] posEmb;
    private final List<Block> blocks;
    private final float[] lnFGamma;
    private final float[] lnFBeta;
    private final DenseLinear head;

    /** Assembles a model from its parts (sizes are checked); {@link #pack}, {@link #fp32} and {@link #load} use it. */
    public PackedGpt(Spec spec, float[] tokEmb, float[] posEmb, List<Block> blocks, float[] lnFGamma, float[] lnFBeta,
            DenseLinear head) {
        this.spec = spec;
        int d = spec.dModel();
        requireLength("token embedding", tokEmb, (long) spec.vocab() * d);
        requireLength("position embedding", posEmb, (long) spec.context() * d);
        if (blocks.size() != spec.layers()) {
            throw new FrugalException("PackedGpt: " + blocks.size() + " blocks for " + spec.layers() + " layers");
        }
        for (int i = 0; i < blocks.size(); i++) {
            Block b = blocks.get(i);
            String where = "block " + i;
            for (float[] v : new float[][] {b.ln1Gamma(), b.ln1Beta(), b.ln2Gamma(), b.ln2Beta()}) {
                requireLength(where + " layer norm", v, d);
            }
            requireShape(where + " attn_qkv", b.qkv(), d, 3 * d);
            requireShape(where + " attn_proj", b.proj(), d, d);
            requireShape(where + " mlp_up", b.up(), d, spec.hidden());
            requireShape(where + " mlp_down", b.down(), spec.hidden(), d);
        }
        requireLength("final layer norm gamma", lnFGamma, d);
        requireLength("final layer norm beta", lnFBeta, d);
        requireShape("head", head, d, spec.vocab());
        this.tokEmb = tokEmb;
        this.posEmb = posEmb;
        this.blocks = List.copyOf(blocks);
        this.lnFGamma = lnFGamma;
        this.lnFBeta = lnFBeta;
        this.head = head;
    }

    /** The 1-bit model of a binarized TinyGpt: every block Linear must be an {@link FbiLinear}. */
    public static PackedGpt pack(TinyGpt binarized) {
        return from(binarized, linear -> {
            if (!(linear instanceof FbiLinear fbi)) {
                throw new FrugalException("PackedGpt.pack needs a binarized TinyGpt (block Linears made by"
                        + " FbiLinear.factory()), found " + linear.getClass().getSimpleName()
                        + "; use PackedGpt.fp32 for a full-precision model");
            }
            return PackedLinear.of(fbi);
        });
    }

    /**
     * The same decoder over dense fp32 weights: DJL Linears as they are, FbiLinears as their effective weight
     * {@code alpha (.) sign(W) + beta}.
     */
    public static PackedGpt fp32(TinyGpt model) {
        return from(model, PackedGpt::dense);
    }

    private static PackedGpt from(TinyGpt model, Function<ai.djl.nn.Block, MatVec> linear) {
        if (!model.isInitialized()) {
            throw new FrugalException("the TinyGpt has no weights yet: initialise or train it before packing");
        }
        TinyGpt.Config c = model.config();
        Spec spec = Spec.of(c);
        var params = model.getParameters();
        List<ai.djl.nn.Block> linears = model.blockLinears();
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < c.layers(); i++) {
            String prefix = String.format(Locale.ROOT, "%02dblock%d_", i + 1, i);
            blocks.add(new Block(values(params.get(prefix + "01ln_1_gamma"), prefix + "01ln_1_gamma"),
                    values(params.get(prefix + "01ln_1_beta"), prefix + "01ln_1_beta"),
                    linear.apply(linears.get(4 * i)), linear.apply(linears.get(4 * i + 1)),
                    values(params.get(prefix + "04ln_2_gamma"), prefix + "04ln_2_gamma"),
                    values(params.get(prefix + "04ln_2_beta"), prefix + "04ln_2_beta"),
                    linear.apply(linears.get(4 * i + 2)), linear.apply(linears.get(4 * i + 3))));
        }
        String lnF = String.format(Locale.ROOT, "%02dln_f_", c.layers() + 1);
        String headWeight = String.format(Locale.ROOT, "%02dhead_weight", c.layers() + 2);
        DenseLinear head = new DenseLinear(c.vocab(), c.dModel(), values(params.get(headWeight), headWeight), null);
        return new PackedGpt(spec, values(params.get("tok_emb"), "tok_emb"), values(params.get("pos_emb"), "pos_emb"),
                blocks, values(params.get(lnF + "gamma"), lnF + "gamma"), values(params.get(lnF + "beta"), lnF + "beta"),
                head);
    }

    private static MatVec dense(ai.djl.nn.Block linear) {
        if (linear instanceof FbiLinear fbi) {
            PackedLinear packed = PackedLinear.of(fbi);
            return new DenseLinear(fbi.out(), fbi.in(), packed.unpacked(), packed.bias());
        }
        Parameter weight = linear.getParameters().get("weight");
        if (weight == null) {
            throw new FrugalException("PackedGpt.fp32: a block Linear of type " + linear.getClass().getSimpleName()
                    + " has no 'weight' parameter; only DJL Linear and FbiLinear are supported");
        }
        NDArray w = weight.getArray();
        Parameter bias = linear.getParameters().get("bias");
        return new DenseLinear((int) w.getShape().get(0), (int) w.getShape().get(1), w.toFloatArray(),
                bias == null ? null : bias.getArray().toFloatArray());
    }

    private static float[] values(Parameter p, String path) {
        if (p == null || !p.isInitialized()) {
            throw new FrugalException("TinyGpt parameter " + path + " is missing; PackedGpt expects TinyGpt's"
                    + " documented parameter paths");
        }
        return p.getArray().toFloatArray();
    }

    public Spec spec() {
        return spec;
    }

    public List<Block> blocks() {
        return blocks;
    }

    /** True when every block Linear is 1-bit packed (such a model can be saved). */
    public boolean isPacked() {
        return blocks.stream().flatMap(b -> b.linears().stream()).allMatch(l -> l instanceof PackedLinear);
    }

    float[] tokEmb() {
        return tokEmb;
    }

    float[] posEmb() {
        return posEmb;
    }

    float[] lnFGamma() {
        return lnFGamma;
    }

    float[] lnFBeta() {
        return lnFBeta;
    }

    DenseLinear head() {
        return head;
    }

    /** A fresh decoding session (its own KV cache) running the Linears on the caller's thread. */
    public Decoder decoder() {
        return new Decoder(HelperThreads.SINGLE);
    }

    /** A fresh decoding session whose Linears split their rows over {@code threads}. */
    public Decoder decoder(HelperThreads threads) {
        return new Decoder(threads);
    }

    /**
     * Logits at every position of {@code tokens} (at most the context), as TinyGpt's forward gives for a batch
     * of one: {@code [T][vocab]}.
     */
    public float[][] logits(int[] tokens) {
        if (tokens.length == 0 || tokens.length > spec.context()) {
            throw new FrugalException("PackedGpt.logits takes 1 to " + spec.context() + " tokens (the context), got "
                    + tokens.length);
        }
        Decoder d = decoder();
        float[][] out = new float[tokens.length][];
        for (int t = 0; t < tokens.length; t++) {
            out[t] = d.next(tokens[t]).clone();
        }
        return out;
    }

    /**
     * Continues {@code prompt} by {@code n} tokens exactly as {@link TinyGpt#generate} does: greedy when
     * {@code temperature == 0}, else sampled from softmax(logits / temperature) with a generator seeded by
     * {@code seed}; the model sees the last {@code context} tokens. Within the context each new token costs one
     * cached step; past it the window slides and is recomputed, as TinyGpt's learned positions require.
     *
     * @return the prompt followed by the new tokens
     */
    public int[] generate(int[] prompt, int n, double temperature, long seed) {
        if (prompt.length == 0 || n < 0 || !(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new FrugalException("generate needs a non-empty prompt, n >= 0 and a finite temperature >= 0;"
                    + " got prompt length " + prompt.length + ", n " + n + ", temperature " + temperature);
        }
        Random random = new Random(seed);
        int[] out = Arrays.copyOf(prompt, prompt.length + n);
        Decoder decoder = decoder();
        int cacheFrom = -1;
        for (int i = prompt.length; i < out.length; i++) {
            int from = Math.max(0, i - spec.context());
            if (from != cacheFrom) {
                decoder.reset();
                cacheFrom = from;
            }
            float[] logits = null;
            for (int j = cacheFrom + decoder.position(); j < i; j++) {
                logits = decoder.next(out[j]);
            }
            out[i] = TokenSampler.next(logits, temperature, random);
        }
        return out;
    }

    /** Writes the packed model ({@link PackedModelFile} format) atomically. */
    public void save(Path file) {
        PackedModelFile.write(file, this);
    }

    /** Reads a model written by {@link #save}; a truncated, corrupt or foreign file is a {@link FrugalException}. */
    public static PackedGpt load(Path file) {
        return PackedModelFile.read(file);
    }

    /** Weight memory per group: embeddings, each block Linear, norms, head; as stored here and as fp32. */
    public List<Bytes> memory() {
        int d = spec.dModel();
        List<Bytes> rows = new ArrayList<>();
        long emb = 4L * (tokEmb.length + posEmb.length);
        rows.add(new Bytes("embeddings (token + position)", (spec.vocab() + spec.context()) + " x " + d, emb, emb));
        String[] names = {"attn_qkv", "attn_proj", "mlp_up", "mlp_down"};
        long norms = 0;
        for (int i = 0; i < blocks.size(); i++) {
            List<MatVec> ls = blocks.get(i).linears();
            for (int k = 0; k < ls.size(); k++) {
                MatVec l = ls.get(k);
                rows.add(new Bytes("block" + i + " " + names[k], l.out() + " x " + l.in(), l.fp32Bytes(), l.weightBytes()));
            }
            norms += 4L * 4 * d;
        }
        norms += 4L * 2 * d;
        rows.add(new Bytes("layer norms", (2 * blocks.size() + 1) + " x 2 x " + d, norms, norms));
        rows.add(new Bytes("head", spec.vocab() + " x " + d, head.fp32Bytes(), head.weightBytes()));
        return rows;
    }

    /** Bytes of the block Linears only: {@code [fp32, stored]}. */
    public long[] linearBytes() {
        long fp32 = 0;
        long stored = 0;
        for (Block b : blocks) {
            for (MatVec l : b.linears()) {
                fp32 += l.fp32Bytes();
                stored += l.weightBytes();
            }
        }
        return new long[] {fp32, stored};
    }

    /** Bytes of all weights: {@code [fp32, stored]}. */
    public long[] totalBytes() {
        long fp32 = 0;
        long stored = 0;
        for (Bytes b : memory()) {
            fp32 += b.fp32();
            stored += b.stored();
        }
        return new long[] {fp32, stored};
    }

    /** {@link #memory()} as a table with a row for the block Linears and one for the whole model. */
    public Html memoryTable() {
        List<List<?>> rows = new ArrayList<>();
        for (Bytes b : memory()) {
            rows.add(List.of(b.name(), b.shape(), b.fp32(), b.stored(), b.ratio()));
        }
        long[] linear = linearBytes();
        long[] total = totalBytes();
        rows.add(List.of("all block Linears", "", linear[0], linear[1], (double) linear[1] / linear[0]));
        rows.add(List.of("whole model", "", total[0], total[1], (double) total[1] / total[0]));
        return Plots.table(List.of("weights", "shape", "fp32 bytes", isPacked() ? "packed bytes" : "stored bytes",
                "stored / fp32"), rows);
    }

    private static void requireLength(String what, float[] v, long expected) {
        if (v == null || v.length != expected) {
            throw new FrugalException("PackedGpt: " + what + " has " + (v == null ? "no" : String.valueOf(v.length))
                    + " values, expected " + expected);
        }
    }

    private static void requireShape(String what, MatVec l, int in, int out) {
        if (l == null || l.in() != in || l.out() != out) {
            throw new FrugalException("PackedGpt: " + what + " must map " + in + " -> " + out + " features, got "
                    + (l == null ? "none" : l.in() + " -> " + l.out()));
        }
    }

    /**
     * One decoding session: feeds tokens one at a time, keeping each block's keys and values, and returns the
     * next-token logits. Not thread-safe; {@link #reset()} starts over.
     */
    public final class Decoder {
        private final HelperThreads threads;
        private final float[][] keys;
        private final float[][] values;
        private final float[] x;
        private final float[] h;
        private final float[] qkv;
        private final float[] attended;
        private final float[] branch;
        private final float[] wide;
        private final float[] scores;
        private final float[] logits;
        private int position;

        private Decoder(HelperThreads threads) {
            this.threads = threads;
            int d = spec.dModel();
            keys = new float[spec.layers()][spec.context() * d];
            values = new float[spec.layers()][spec.context() * d];
            x = new float[d];
            h = new float[d];
            qkv = new float[3 * d];
            attended = new float[d];
            branch = new float[d];
            wide = new float[spec.hidden()];
            scores = new float[spec.context()];
            logits = new float[spec.vocab()];
        }

        /** Tokens fed since the last reset (the position of the next one). */
        public int position() {
            return position;
        }

        public void reset() {
            position = 0;
        }

        /**
         * Feeds one token at the next position and returns the logits for the token after it. The array is
         * reused by the next call: copy it to keep it.
         */
        public float[] next(int token) {
            if (token < 0 || token >= spec.vocab()) {
                throw new FrugalException("token id " + token + " is outside the vocabulary [0, " + spec.vocab() + ")");
            }
            if (position >= spec.context()) {
                throw new FrugalException("the decoder has seen " + position + " tokens, its whole context; reset() it"
                        + " and feed the last tokens again (PackedGpt.generate slides the window for you)");
            }
            int d = spec.dModel();
            for (int i = 0; i < d; i++) {
                x[i] = (tokEmb[token * d + i] + posEmb[position * d + i]) * spec.embeddingScale();
            }
            for (int l = 0; l < blocks.size(); l++) {
                Block b = blocks.get(l);
                layerNorm(x, b.ln1Gamma(), b.ln1Beta(), h);
                b.qkv().apply(h, qkv, threads);
                attend(l);
                b.proj().apply(attended, branch, threads);
                addScaled(branch);
                layerNorm(x, b.ln2Gamma(), b.ln2Beta(), h);
                b.up().apply(h, wide, threads);
                for (int i = 0; i < wide.length; i++) {
                    wide[i] = Gelu.apply(wide[i]);
                }
                b.down().apply(wide, branch, threads);
                addScaled(branch);
            }
            layerNorm(x, lnFGamma, lnFBeta, h);
            head.apply(h, logits, threads);
            if (spec.logitScale() != 1f) {
                for (int i = 0; i < logits.length; i++) {
                    logits[i] *= spec.logitScale();
                }
            }
            position++;
            return logits;
        }

        /** Causal attention of the new position over the cached ones, head by head, into {@code attended}. */
        private void attend(int layer) {
            int d = spec.dModel();
            int hd = spec.headDim();
            float[] k = keys[layer];
            float[] v = values[layer];
            System.arraycopy(qkv, d, k, position * d, d);
            System.arraycopy(qkv, 2 * d, v, position * d, d);
            float scale = spec.attentionScale();
            for (int head = 0; head < spec.heads(); head++) {
                int off = head * hd;
                float max = Float.NEGATIVE_INFINITY;
                for (int t = 0; t <= position; t++) {
                    float s = 0;
                    int kt = t * d + off;
                    for (int i = 0; i < hd; i++) {
                        s += qkv[off + i] * scale * k[kt + i];
                    }
                    scores[t] = s;
                    max = Math.max(max, s);
                }
                float sum = 0;
                for (int t = 0; t <= position; t++) {
                    scores[t] = (float) Math.exp(scores[t] - max);
                    sum += scores[t];
                }
                Arrays.fill(attended, off, off + hd, 0f);
                for (int t = 0; t <= position; t++) {
                    float p = scores[t] / sum;
                    int vt = t * d + off;
                    for (int i = 0; i < hd; i++) {
                        attended[off + i] += p * v[vt + i];
                    }
                }
            }
        }

        private void addScaled(float[] out) {
            float s = spec.residualScale();
            for (int i = 0; i < x.length; i++) {
                x[i] += out[i] * s;
            }
        }
    }

    static void layerNorm(float[] in, float[] gamma, float[] beta, float[] out) {
        double mean = 0;
        for (float v : in) {
            mean += v;
        }
        mean /= in.length;
        double var = 0;
        for (float v : in) {
            var += (v - mean) * (v - mean);
        }
        var /= in.length;
        float inv = (float) (1.0 / Math.sqrt(var + LAYER_NORM_EPS));
        float m = (float) mean;
        for (int i = 0; i < in.length; i++) {
            out[i] = (in[i] - m) * inv * gamma[i] + beta[i];
        }
    }
}
