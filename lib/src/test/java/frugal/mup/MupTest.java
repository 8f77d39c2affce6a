package frugal.mup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import frugal.core.Engines;
import frugal.core.FrugalException;
import frugal.core.Seeds;
import frugal.nn.TinyGpt;
import frugal.train.ParamGroup;
import frugal.train.ParamGrouping;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MupTest {
    private static final int BASE = 32;
    private static final int LAYERS = 2;

    @BeforeAll
    static void engine() {
        Engines.pytorch();
    }

    private static TinyGpt.Config config(int width, MupConfig mup) {
        return new TinyGpt.Config(17, 8, LAYERS, width, 4, 4, 0f, true, mup);
    }

    private static double std(NDArray a) {
        float[] v = a.toFloatArray();
        double mean = 0;
        for (float x : v) {
            mean += x;
        }
        mean /= v.length;
        double ss = 0;
        for (float x : v) {
            ss += (x - mean) * (x - mean);
        }
        return Math.sqrt(ss / v.length);
    }

    private static double stdOfAll(TinyGpt gpt, String suffix) {
        List<NDArray> arrays = gpt.getParameters().stream()
                .filter(p -> p.getKey().endsWith(suffix)).map(p -> p.getValue().getArray()).toList();
        assertEquals(LAYERS, arrays.size(), suffix);
        try (NDManager m = NDManager.newBaseManager()) {
            NDList flat = new NDList();
            arrays.forEach(a -> flat.add(a.reshape(-1)));
            NDArray all = NDArrays.concat(flat);
            flat.attach(m);
            all.attach(m);
            return std(all);
        }
    }

    @Test
    void initialStdFollowsTheWidthAtTwoWidths() {
        Seeds.set(5);
        MupConfig mup = MupConfig.paper(BASE);
        try (NDManager m = NDManager.newBaseManager()) {
            for (int width : new int[] {64, 128}) {
                double mult = width / (double) BASE;
                TinyGpt gpt = new TinyGpt(config(width, mup));
                gpt.initialize(m);
                double hidden = 0.02 / Math.sqrt(mult);
                // sampling tolerance: thousands of weights give a std within a few percent
                assertEquals(hidden, stdOfAll(gpt, "attn_qkv_weight"), 0.05 * hidden, "qkv at width " + width);
                assertEquals(hidden, stdOfAll(gpt, "mlp_up_weight"), 0.05 * hidden, "mlp up at width " + width);
                double out = hidden / Math.sqrt(2.0 * LAYERS);
                assertEquals(out, stdOfAll(gpt, "attn_proj_weight"), 0.05 * out, "attn out at width " + width);
                assertEquals(out, stdOfAll(gpt, "mlp_down_weight"), 0.05 * out, "mlp down at width " + width);
                assertEquals(0.02, std(gpt.getParameters().get("tok_emb").getArray()), 0.002);
                String head = String.format("%02dhead_weight", LAYERS + 2);
                assertEquals(0.02, std(gpt.getParameters().get(head).getArray()), 0.002);
                assertEquals(0f, gpt.getParameters().get("01block0_02attn_qkv_bias").getArray().abs().sum().getFloat());
            }
        }
    }

    @Test
    void disabledMupUsesGpt2Init() {
        Seeds.set(6);
        try (NDManager m = NDManager.newBaseManager()) {
            TinyGpt gpt = new TinyGpt(config(128, MupConfig.disabled()));
            gpt.initialize(m);
            assertEquals(0.02, stdOfAll(gpt, "attn_qkv_weight"), 0.001);
            assertEquals(0.02 / Math.sqrt(2.0 * LAYERS), stdOfAll(gpt, "mlp_down_weight"), 0.0005);
        }
    }

    @Test
    void groupsGiveHiddenMatricesLrOverMAndNoDecayToVectors() {
        TinyGpt gpt = new TinyGpt(config(128, MupConfig.paper(BASE)));
        ParamGrouping grouping = Mup.paramGrouping(gpt, 0.1);
        int hidden = 0;
        for (var entry : gpt.getParameters()) {
            String path = entry.getKey();
            Parameter p = entry.getValue();
            ParamGroup g = grouping.groupOf(path, p);
            if (path.endsWith("_weight") && path.contains("block")) {
                assertEquals("hidden", g.name(), path);
                assertEquals(0.25, g.lrMultiplier(), 1e-12, path);
                assertEquals(0.1, g.weightDecay(), path);
                hidden++;
            } else if (path.endsWith("_bias") || path.endsWith("_gamma") || path.endsWith("_beta")) {
                assertEquals(new ParamGroup("no_decay", 1.0, 0.0), g, path);
            } else if (path.endsWith("head_weight")) {
                assertEquals(new ParamGroup("head", 1.0, 0.1), g, path);
            } else {
                assertTrue(path.equals("tok_emb") || path.equals("pos_emb"), path);
                assertEquals(new ParamGroup("embedding", 1.0, 0.1), g, path);
            }
        }
        assertEquals(4 * LAYERS, hidden);
        TinyGpt other = new TinyGpt(config(64, MupConfig.paper(BASE)));
        Parameter foreign = other.getParameters().get("tok_emb");
        assertThrows(FrugalException.class, () -> grouping.groupOf("tok_emb", foreign));

        // without muP the roles stay, the multipliers are 1 and only the decay split remains
        TinyGpt plain = new TinyGpt(config(128, MupConfig.disabled()));
        Parameter up = plain.getParameters().get("01block0_05mlp_up_weight");
        assertSame(ParamRole.HIDDEN_MATRIX, plain.roleOf(up));
        assertEquals(new ParamGroup("hidden", 1.0, 0.1), Mup.paramGrouping(plain, 0.1).groupOf("x", up));
    }

    /** Copies every parameter value of {@code from} into {@code to} (same architecture). */
    private static void copy(TinyGpt from, TinyGpt to) {
        var source = from.getParameters();
        for (var entry : to.getParameters()) {
            source.get(entry.getKey()).getArray().copyTo(entry.getValue().getArray());
        }
    }

    private static NDArray logits(TinyGpt gpt, NDManager m, long[] tokens) {
        return gpt.forward(new ParameterStore(m, false), new NDList(m.create(tokens, new Shape(2, 4))), false)
                .singletonOrThrow();
    }

    private static final long[] TOKENS = {1, 5, 9, 2, 16, 0, 3, 3};

    @Test
    void outputLogitsAreDividedByTheWidthMultiplier() {
        Seeds.set(8);
        int width = 2 * BASE;
        try (NDManager m = NDManager.newBaseManager()) {
            // both use muP forward rules with unit embedding / residual multipliers; only m differs (2 vs 1)
            TinyGpt wide = new TinyGpt(config(width, new MupConfig(true, BASE, 1, 1, 0.02)));
            TinyGpt unscaled = new TinyGpt(config(width, new MupConfig(true, width, 1, 1, 0.02)));
            wide.initialize(m);
            unscaled.initialize(m);
            copy(wide, unscaled);
            NDArray a = logits(wide, m, TOKENS);
            NDArray b = logits(unscaled, m, TOKENS);
            assertTrue(b.abs().max().getFloat() > 1e-3f);
            assertEquals(0f, a.sub(b.div(2f)).abs().max().getFloat(), 1e-6f);
        }
    }

    /**
     * Every muP forward rule at once, as an equivalent re-parametrization of a standard model: muP with
     * m = 2, m_emb = 3, m_res = 0.5 equals the standard model whose embeddings are times 3, q rows times
     * 1/sqrt(d_head) (so q.k/sqrt(d_head) becomes q.k/d_head), output projections times 0.5 and head times 1/2.
     */
    @Test
    void attentionEmbeddingAndResidualMultipliersMatchAnEquivalentStandardModel() {
        Seeds.set(9);
        int width = 2 * BASE;
        int headDim = width / 4;
        try (NDManager m = NDManager.newBaseManager()) {
            TinyGpt mup = new TinyGpt(config(width, new MupConfig(true, BASE, 3, 0.5, 0.02)));
            TinyGpt standard = new TinyGpt(config(width, MupConfig.disabled()));
            mup.initialize(m);
            standard.initialize(m);
            // sharpen the attention so that its scale visibly matters
            for (int i = 0; i < LAYERS; i++) {
                mup.getParameters().get(String.format("%02dblock%d_02attn_qkv_weight", i + 1, i)).getArray().muli(30f);
            }
            copy(mup, standard);
            var p = standard.getParameters();
            p.get("tok_emb").getArray().muli(3f);
            p.get("pos_emb").getArray().muli(3f);
            float qScale = (float) (1 / Math.sqrt(headDim));
            for (int i = 0; i < LAYERS; i++) {
                String block = String.format("%02dblock%d_", i + 1, i);
                for (String part : new String[] {"02attn_qkv_weight", "02attn_qkv_bias"}) {
                    NDArray w = p.get(block + part).getArray();
                    NDIndex q = new NDIndex("0:{}", width);
                    w.set(q, w.get(q).mul(qScale));
                }
                for (String part : new String[] {"03attn_proj_weight", "03attn_proj_bias", "06mlp_down_weight",
                        "06mlp_down_bias"}) {
                    p.get(block + part).getArray().muli(0.5f);
                }
            }
            p.get(String.format("%02dhead_weight", LAYERS + 2)).getArray().muli(0.5f);
            NDArray a = logits(mup, m, TOKENS);
            NDArray b = logits(standard, m, TOKENS);
            assertTrue(a.abs().max().getFloat() > 1e-3f);
            assertEquals(0f, a.sub(b).abs().max().getFloat(), 2e-5f);

            // and the two attention scales really differ: without the q re-scaling the logits change
            TinyGpt unscaledQ = new TinyGpt(config(width, MupConfig.disabled()));
            unscaledQ.initialize(m);
            copy(standard, unscaledQ);
            for (int i = 0; i < LAYERS; i++) {
                String block = String.format("%02dblock%d_", i + 1, i);
                for (String part : new String[] {"02attn_qkv_weight", "02attn_qkv_bias"}) {
                    NDArray w = unscaledQ.getParameters().get(block + part).getArray();
                    NDIndex q = new NDIndex("0:{}", width);
                    w.set(q, w.get(q).div(qScale));
                }
            }
            assertTrue(logits(unscaledQ, m, TOKENS).sub(a).abs().max().getFloat() > 1e-2f);
        }
    }

    @Test
    void configRulesAndValidation() {
        MupConfig mup = MupConfig.paper(64);
        assertEquals(4.0, mup.widthMultiplier(256));
        assertEquals(0.01, mup.hiddenInitStd(256), 1e-12);
        assertEquals(0.01 / Math.sqrt(8), mup.outputProjectionInitStd(256, 4), 1e-12);
        assertEquals(1.0 / 16, mup.attentionScale(16));
        assertEquals(0.25, mup.logitScale(256));
        assertEquals(0.25, mup.hiddenLrMultiplier(256));
        MupConfig off = mup.withEnabled(false);
        assertEquals(1.0, off.widthMultiplier(256));
        assertEquals(0.25, off.attentionScale(16));
        assertEquals(1.0, off.embeddingScale());
        assertEquals(1.0, off.residualScale());
        assertThrows(FrugalException.class, () -> new MupConfig(true, 0, 12, 0.22, 0.02));
        assertThrows(FrugalException.class, () -> new MupConfig(true, 64, 12, Double.NaN, 0.02));
        assertThrows(FrugalException.class, () -> new MupConfig(true, 64, 12, 0.22, -1));
    }
}
