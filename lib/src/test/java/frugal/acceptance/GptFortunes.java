package frugal.acceptance;

import ai.djl.ndarray.NDManager;
import frugal.core.Devices;
import frugal.core.Seeds;
import frugal.data.CharTokenizer;
import frugal.data.Entropy;
import frugal.data.Fortunes;
import frugal.data.Split;
import frugal.data.TextCorpus;
import frugal.data.TokenBatches;
import frugal.nn.TinyGpt;
import frugal.plot.Series;
import frugal.schedule.CosineSchedule;
import frugal.train.BatchSource;
import frugal.train.Batches;
import frugal.train.Evaluation;
import frugal.train.History;
import frugal.train.LossFunction;
import frugal.train.Losses;
import frugal.train.ParamGrouping;
import frugal.train.TrainConfig;
import frugal.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Foundation acceptance: the tiny GPT on fortunes drives validation loss from ~ln(vocab) to clearly below
 * the corpus's unigram entropy, and a long run holds flat resident memory.
 * Run: {@code scripts/run frugal.acceptance.GptFortunes [steps [layers [width [context [batch]]]]]}
 * (defaults 5000 4 128 64 32); exits 1 when the loss does not get below
 * the unigram entropy or resident memory grows by more than 5% over the second half of the run. The first
 * half is the allocator's and JIT's warm-up (measured: +65% by step 2000 of 5000, then flat).
 */
public final class GptFortunes {
    private GptFortunes() {}

    public static void main(String[] args) throws IOException {
        long steps = args.length > 0 ? Long.parseLong(args[0]) : 5000;
        int layers = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int width = args.length > 2 ? Integer.parseInt(args[2]) : 128;
        int context = args.length > 3 ? Integer.parseInt(args[3]) : 64;
        int batch = args.length > 4 ? Integer.parseInt(args[4]) : 32;
        TextCorpus corpus = Fortunes.load();
        Split<TextCorpus> split = corpus.split(0.9, 7);
        CharTokenizer tokenizer = CharTokenizer.fit(corpus);
        int[] train = tokenizer.encode(split.train().text());
        int[] val = tokenizer.encode(split.val().text());
        double unigram = Entropy.unigram(val);
        TinyGpt.Config config = TinyGpt.Config.of(tokenizer.vocabSize(), context, layers, width, 4);
        System.out.printf("%s; fortunes: %d train / %d val chars, vocab %d, ln(vocab) %.3f, unigram entropy of val"
                + " %.3f nats/char%n", Devices.describe(), train.length, val.length, tokenizer.vocabSize(),
                Math.log(tokenizer.vocabSize()), unigram);
        try (NDManager manager = NDManager.newBaseManager(Devices.best())) {
            Seeds.set(3);
            TinyGpt model = new TinyGpt(config);
            model.initialize(manager);
            System.out.printf("TinyGpt %d layers, d %d, context %d, batch %d: %d parameters (%d non-embedding)%n",
                    config.layers(), config.dModel(), context, batch, model.parameterCount(),
                    model.nonEmbeddingParameterCount());
            LossFunction loss = LossFunction.of(Losses.softmaxCrossEntropy());
            BatchSource valBatches = Batches.tokens(new TokenBatches(val, context, 64, 99));
            List<long[]> rss = new ArrayList<>();
            double initial = Evaluation.meanLoss(model, loss, valBatches, 8, manager);
            TrainConfig run = TrainConfig.of(steps, 3e-3)
                    .withSchedule(CosineSchedule.steps(3e-3, steps, 200, 0.1))
                    .withGrouping(ParamGrouping.decayMatricesOnly(0.1))
                    .withClip(1.0)
                    .withEvalEvery((int) Math.max(1, steps / 10))
                    .withLogEvery(50)
                    .withSeed(3);
            History history = Trainer.train(model, Batches.tokens(new TokenBatches(train, context, batch, 3)), loss,
                    (m, scope) -> {
                        rss.add(new long[] {rss.size(), residentKb()});
                        return Map.of("val_loss", Evaluation.meanLoss(m, loss, valBatches, 8, scope));
                    },
                    run);
            double last = history.lastEval("val_loss").orElseThrow();
            System.out.printf("val loss: %.3f at start (ln vocab %.3f) -> %.3f after %d steps; unigram entropy %.3f%n",
                    initial, Math.log(tokenizer.vocabSize()), last, steps, unigram);
            Series curve = history.evalSeries("val_loss");
            for (int i = 0; i < curve.x().length; i++) {
                System.out.printf("  step %5.0f  val loss %.3f%n", curve.x()[i], curve.y()[i]);
            }
            long first = rss.get(0)[1];
            long mid = rss.get((rss.size() - 1) / 2)[1];
            long end = rss.get(rss.size() - 1)[1];
            StringBuilder trace = new StringBuilder();
            rss.forEach(r -> trace.append(r[1] / 1024).append(' '));
            System.out.printf("resident memory (MiB) at each evaluation: %s%nRSS first eval %d MiB, middle %d MiB,"
                    + " last %d MiB: second half %+.1f%%%n", trace, first / 1024, mid / 1024, end / 1024,
                    100.0 * (end - mid) / mid);
            double msPerStep = Arrays.stream(history.series("wall_ms").y()).average().orElse(0);
            System.out.printf("mean wall time per step %.1f ms%n", msPerStep);
            boolean ok = last < unigram - 0.3 && end <= mid * 1.05;
            System.exit(ok ? 0 : 1);
        }
    }

    private static long residentKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/self/status", e);
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
