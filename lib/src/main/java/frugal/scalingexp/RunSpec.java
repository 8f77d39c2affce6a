package frugal.scalingexp;

import frugal.core.FrugalException;
import frugal.mup.MupConfig;
import frugal.sweep.RunConfig;
import java.util.Arrays;
import java.util.TreeSet;

/**
 * One training run of a scaling study: a model size trained in a setup at one batch size for a number of steps,
 * its validation loss measured at {@code evalPoints} steps spaced evenly in log(step). It travels to sweep workers
 * as a {@link RunConfig} ({@link #toConfig}, {@link #of(RunConfig)}).
 *
 * @param batch sequences per step; the batch in tokens is {@code batch * context}
 * @param evalPoints how many validation measurements, log-spaced from step {@code ~steps/100} to the last step
 * @param evalBatches validation batches of {@link #EVAL_SEQUENCES} windows per measurement (the same windows every
 *     time, so the curve's noise is the model's, not the sample's)
 */
public record RunSpec(Setup setup, ModelSize size, int batch, long steps, int evalPoints, int evalBatches, long seed) {
    /** Windows per validation batch. */
    public static final int EVAL_SEQUENCES = 32;
    /** Bumped when what a run measures changes, so stored results of the old protocol are not reused. */
    static final long PROTOCOL = 2;

    public RunSpec {
        if (setup == null || size == null) {
            throw new FrugalException("RunSpec: setup and size are required");
        }
        if (batch < 1 || steps < 2 || evalPoints < 2 || evalBatches < 1) {
            throw new FrugalException("RunSpec: need batch >= 1, steps >= 2, evalPoints >= 2, evalBatches >= 1; got"
                    + " batch " + batch + ", steps " + steps + ", evalPoints " + evalPoints + ", evalBatches "
                    + evalBatches);
        }
    }

    /** Tokens per step, {@code B = batch * context}: the unit of every batch in the study's tables. */
    public long batchTokens() {
        return (long) batch * setup.context();
    }

    /** The steps at which validation loss is measured: log-spaced, distinct, ending at the last step. */
    public long[] evalSteps() {
        double first = Math.max(1, steps / 100.0);
        TreeSet<Long> chosen = new TreeSet<>();
        for (int i = 0; i < evalPoints; i++) {
            double t = i / (evalPoints - 1.0);
            chosen.add(Math.max(1, Math.round(first * Math.pow(steps / first, t))));
        }
        return chosen.stream().mapToLong(Long::longValue).toArray();
    }

    /** {@code "2x64 B2048"}: the run's name in tables and legends. */
    public String name() {
        return size.label() + " B" + batchTokens() + (setup.corpus() == Corpus.FORTUNES ? "" : " " + setup.corpus())
                + " T" + setup.context();
    }

    /** The run as sweep configuration: plain named values, readable in the result store. */
    public RunConfig toConfig() {
        return RunConfig.of("corpus", setup.corpus(), "context", setup.context(), "lr", setup.lr(), "warmup",
                setup.warmupSteps(), "mup", setup.mup().enabled(), "mup_base", setup.mup().baseWidth(),
                "mup_embedding", setup.mup().embeddingMultiplier(), "mup_residual", setup.mup().residualMultiplier(),
                "init_std", setup.mup().initStd(), "layers", size.layers(), "d_model", size.dModel(), "heads", size.heads(),
                "batch", batch, "steps", steps, "eval_points", evalPoints, "eval_batches", evalBatches, "seed", seed,
                "protocol", PROTOCOL);
    }

    /** The run a configuration written by {@link #toConfig} describes. */
    public static RunSpec of(RunConfig c) {
        if (c.getLong("protocol") != PROTOCOL) {
            throw new FrugalException("run configuration " + c + " is of protocol " + c.getLong("protocol")
                    + ", this library runs protocol " + PROTOCOL);
        }
        Corpus corpus;
        try {
            corpus = Corpus.valueOf(c.getString("corpus"));
        } catch (IllegalArgumentException e) {
            throw new FrugalException("run configuration: corpus '" + c.getString("corpus") + "' is not one of "
                    + Arrays.toString(Corpus.values()), e);
        }
        MupConfig mup = new MupConfig(c.getBoolean("mup"), c.getInt("mup_base"), c.getDouble("mup_embedding"),
                c.getDouble("mup_residual"), c.getDouble("init_std"));
        return new RunSpec(new Setup(corpus, c.getInt("context"), c.getDouble("lr"), c.getInt("warmup"), mup),
                new ModelSize(c.getInt("layers"), c.getInt("d_model"), c.getInt("heads")), c.getInt("batch"),
                c.getLong("steps"), c.getInt("eval_points"), c.getInt("eval_batches"), c.getLong("seed"));
    }
}
