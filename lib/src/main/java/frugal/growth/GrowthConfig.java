package frugal.growth;

import frugal.core.FrugalException;
import frugal.nn.TinyGpt;
import java.util.List;

/**
 * The scale of notebook 08's experiment: one small model grown by {@code factor} against the large model
 * trained from scratch, at equal training FLOPs. Every run sees {@code batch} windows of {@code context}
 * characters per step, so FLOPs per step depend only on the depth.
 *
 * @param budget "quick" or "full"; claims are judged only in full
 * @param smallLayers L, the small model's depth; the large model has {@code factor} L blocks of the same width
 * @param factor the growth factor g
 * @param scratchSteps optimiser steps of the large model from scratch; its FLOPs are every run's budget
 * @param growthSteps the growth-timing sweep: steps the small model trains before G_stack grows it (ascending;
 *     the paper's d, in steps of {@code batch x context} tokens)
 * @param mainGrowthStep the growth point of the operator comparison, one of {@code growthSteps}
 * @param lr AdamW's peak learning rate, the same for every model and phase
 * @param warmupSteps linear warmup at the start of every phase (a grown model gets a fresh optimiser)
 * @param evalEvery steps between validation measurements; divides the step counts above
 * @param evalBatches validation batches of {@code batch} windows per measurement (the same windows every time)
 * @param seeds independent repetitions (initialisation and training windows); claims are paired over them
 */
public record GrowthConfig(String budget, int context, int batch, int smallLayers, int factor, int dModel, int heads,
        int scratchSteps, List<Integer> growthSteps, int mainGrowthStep, double lr, int warmupSteps, int evalEvery,
        int evalBatches, int seeds) {
    public GrowthConfig {
        if (!"quick".equals(budget) && !"full".equals(budget)) {
            throw new FrugalException("GrowthConfig: budget must be \"quick\" or \"full\", got \"" + budget + "\"");
        }
        for (int v : new int[] {context, batch, smallLayers, dModel, heads, scratchSteps, warmupSteps, evalEvery,
            evalBatches, seeds}) {
            if (v <= 0) {
                throw new FrugalException("GrowthConfig: sizes, steps and counts must be > 0, got " + v);
            }
        }
        if (factor < 2) {
            throw new FrugalException("GrowthConfig: the growth factor must be >= 2, got " + factor);
        }
        growthSteps = List.copyOf(growthSteps);
        if (growthSteps.isEmpty() || !growthSteps.contains(mainGrowthStep)) {
            throw new FrugalException("GrowthConfig: mainGrowthStep " + mainGrowthStep + " must be one of the growth"
                    + " steps " + growthSteps);
        }
        for (int i = 0; i < growthSteps.size(); i++) {
            int d = growthSteps.get(i);
            if (d <= 0 || d % evalEvery != 0 || i > 0 && d <= growthSteps.get(i - 1)) {
                throw new FrugalException("GrowthConfig: growth steps must ascend and be positive multiples of evalEvery"
                        + " (" + evalEvery + "), got " + growthSteps);
            }
        }
        if (scratchSteps % evalEvery != 0 || warmupSteps >= scratchSteps) {
            throw new FrugalException("GrowthConfig: scratchSteps (" + scratchSteps + ") must be a multiple of"
                    + " evalEvery (" + evalEvery + ") and longer than the warmup (" + warmupSteps + ")");
        }
        if (!(lr > 0 && lr < 1)) {
            throw new FrugalException("GrowthConfig: lr must be in (0, 1), got " + lr);
        }
    }

    /**
     * quick (CI: the whole notebook in under 3 minutes, numbers meaningless): 80 scratch steps of 16 windows, one seed;
     * full (judged, about 14 minutes of training on 2 idle cores): 2 -> 8 layers of width 64, 600 scratch steps of
     * 32 x 64 characters, growth after 50, 150, 300 or 600 small-model steps (2 to 26% of the FLOPs), 3 seeds; the
     * operators are compared at 150 (chosen before any run).
     */
    public static GrowthConfig forBudget(String budget) {
        return switch (budget) {
            case "quick" -> new GrowthConfig("quick", 64, 16, 2, 4, 64, 4, 80, List.of(10, 20, 40), 20, 3e-3, 10,
                    10, 2, 1);
            case "full" -> new GrowthConfig("full", 64, 32, 2, 4, 64, 4, 600, List.of(50, 150, 300, 600), 150, 3e-3, 30,
                    50, 6, 3);
            default -> throw new FrugalException("unknown budget \"" + budget + "\"; FRUGAL_BUDGET must be quick or full");
        };
    }

    /** The budget named by FRUGAL_BUDGET (full when unset). */
    public static GrowthConfig fromEnvironment() {
        return forBudget(System.getenv().getOrDefault("FRUGAL_BUDGET", "full"));
    }

    public boolean judged() {
        return "full".equals(budget);
    }

    /** The small model for a vocabulary: GPT-2 style, biases, standard parametrization. */
    public TinyGpt.Config small(int vocab) {
        return TinyGpt.Config.of(vocab, context, smallLayers, dModel, heads);
    }

    /** The large model: the small one {@code factor} times as deep. */
    public TinyGpt.Config large(int vocab) {
        return GrowthOperator.deeper(small(vocab), factor);
    }

    /** Training FLOPs of one step of the small model. */
    public long smallStepFlops(int vocab) {
        return Flops.trainingPerStep(small(vocab), batch, context);
    }

    /** Training FLOPs of one step of the large (scratch or grown) model. */
    public long largeStepFlops(int vocab) {
        return Flops.trainingPerStep(large(vocab), batch, context);
    }

    /** The compute budget of every run: the scratch model's training FLOPs. */
    public long budgetFlops(int vocab) {
        return scratchSteps * largeStepFlops(vocab);
    }

    /**
     * Steps the grown model trains after growing at small-model step {@code growthStep}: as many as the budget
     * leaves, so small phase + grown phase never exceed the scratch model's FLOPs (and fall short by less than
     * one large step).
     */
    public int grownSteps(int vocab, int growthStep) {
        long left = budgetFlops(vocab) - growthStep * smallStepFlops(vocab);
        if (left < largeStepFlops(vocab)) {
            throw new FrugalException("GrowthConfig: growing after " + growthStep + " small steps leaves no compute for"
                    + " the grown model (budget " + scratchSteps + " large steps); grow earlier");
        }
        return (int) (left / largeStepFlops(vocab));
    }
}
