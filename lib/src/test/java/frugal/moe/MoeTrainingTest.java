package frugal.moe;

import frugal.core.TorchTest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import frugal.core.FrugalException;
import frugal.core.GradMode;
import frugal.core.Seeds;
import frugal.data.TextCorpus;
import frugal.mup.MupConfig;
import frugal.nn.LinearFactory;
import frugal.nn.TinyGpt;
import frugal.train.BatchSource;
import frugal.train.History;
import frugal.train.TrainConfig;
import frugal.train.Trainer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An MoE TinyGpt end to end: it trains, and per-micro-batch LBL in one forward equals accumulating micro-batches. */
class MoeTrainingTest extends TorchTest {
    private static final int CONTEXT = 12;

    /** Two generated domains of distinct alphabets: "abcab..." prose and "{x=1;}" code-like lines. */
    static DomainMixture tinyMixture() {
        List<String> prose = new ArrayList<>();
        List<String> code = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            prose.add("the cat sat on a mat " + "abc".repeat(i % 5 + 3));
            code.add("{ x" + i + " = y * " + i + "; }".repeat(i % 4 + 2));
        }
        return DomainMixture.of(List.of("prose", "code"), List.of(TextCorpus.of("prose", prose),
                TextCorpus.of("code", code)), 0.2, 1);
    }

    private TinyGpt model(DomainMixture data, RoutingTrace trace) {
        Seeds.set(5);
        TinyGpt.Config c = new TinyGpt.Config(data.tokenizer().vocabSize(), CONTEXT, 2, 16, 2, 4, 0f, true,
                MupConfig.disabled());
        TinyGpt net = new TinyGpt(c, LinearFactory.dense(), MoeMlp.factory(new MoeConfig(4, 2, 16), trace));
        net.initialize(manager);
        return net;
    }

    private static History train(TinyGpt net, BatchSource data, MoeLoss loss, TrainConfig config) {
        return GradMode.noGrad(() -> Trainer.train(net, data, loss, config));
    }

    @Test
    void anMoeGptLearnsAndRecordsItsRouting() {
        DomainMixture data = tinyMixture();
        RoutingTrace trace = new RoutingTrace(2);
        TinyGpt net = model(data, trace);
        History h = train(net, data.trainBatches(4, CONTEXT, 3), new MoeLoss(trace, BalanceScope.globalBatch(4), 0.05),
                TrainConfig.of(60, 1e-2).quiet());
        double first = h.steps().get(0).loss();
        double last = h.meanLoss(10);
        assertTrue(last < first - 0.5, "loss fell from " + first + " to " + last);
        RoutingStats stats = RoutingStats.measure(net, trace, data, 2, 2, CONTEXT, manager);
        assertEquals(2, stats.layers());
        for (double[] row : stats.shares(1)) {
            assertEquals(1.0, java.util.Arrays.stream(row).sum(), 1e-9);
        }
        double mi = stats.meanMutualInformation();
        assertTrue(mi >= 0 && mi <= 1 + 1e-9, "I(domain; expert) of two domains lies in [0, 1] bit: " + mi);
        assertTrue(stats.worstLoad() >= 1, "the busiest expert has at least the mean load: " + stats.worstLoad());
    }

    private List<float[]> weights(TinyGpt net) {
        List<float[]> out = new ArrayList<>();
        for (Pair<String, Parameter> p : net.getParameters()) {
            out.add(p.getValue().getArray().toFloatArray());
        }
        return out;
    }

    @Test
    void microBatchLblInOneForwardEqualsAccumulatingTheMicroBatches() {
        DomainMixture data = tinyMixture();
        BatchSource batches = data.trainBatches(4, CONTEXT, 8);
        RoutingTrace traceA = new RoutingTrace(2);
        TinyGpt oneForward = model(data, traceA);
        History a = train(oneForward, batches, new MoeLoss(traceA, BalanceScope.microBatch(1), 0.5),
                TrainConfig.of(4, 1e-2).quiet());
        RoutingTrace traceB = new RoutingTrace(2);
        TinyGpt accumulated = model(data, traceB);
        History b = train(accumulated, batches, new MoeLoss(traceB, BalanceScope.microBatch(1), 0.5),
                TrainConfig.of(4, 1e-2).withMicroBatches(4).quiet());
        for (int s = 0; s < 4; s++) {
            assertEquals(a.steps().get(s).loss(), b.steps().get(s).loss(), 1e-5, "loss at step " + (s + 1));
        }
        List<float[]> wa = weights(oneForward);
        List<float[]> wb = weights(accumulated);
        for (int i = 0; i < wa.size(); i++) {
            for (int j = 0; j < wa.get(i).length; j++) {
                assertEquals(wa.get(i)[j], wb.get(i)[j], 1e-4, "parameter " + i + " element " + j);
            }
        }
        // the scope matters at this alpha: the global batch's LBL trains another model
        RoutingTrace traceC = new RoutingTrace(2);
        TinyGpt global = model(data, traceC);
        train(global, batches, new MoeLoss(traceC, BalanceScope.globalBatch(4), 0.5), TrainConfig.of(4, 1e-2).quiet());
        double apart = 0;
        List<float[]> wc = weights(global);
        for (int i = 0; i < wa.size(); i++) {
            for (int j = 0; j < wa.get(i).length; j++) {
                apart = Math.max(apart, Math.abs(wa.get(i)[j] - wc.get(i)[j]));
            }
        }
        assertTrue(apart > 1e-3, "micro and global LBL gave weights at most " + apart + " apart");
    }

    @Test
    void aGlobalScopeCannotBeSplitIntoMicroBatchForwards() {
        DomainMixture data = tinyMixture();
        RoutingTrace trace = new RoutingTrace(2);
        TinyGpt net = model(data, trace);
        FrugalException e = assertThrows(FrugalException.class, () -> train(net, data.trainBatches(4, CONTEXT, 8),
                new MoeLoss(trace, BalanceScope.globalBatch(4), 0.5), TrainConfig.of(1, 1e-2).withMicroBatches(2)
                        .quiet()));
        assertTrue(e.getMessage().contains("cannot reach past one forward"), e.getMessage());
    }
}
