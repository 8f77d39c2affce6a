package frugal.power;

import frugal.core.FrugalException;
import frugal.schedule.LrSchedule;
import frugal.schedule.PowerSchedule;
import frugal.schedule.ScheduleUnit;
import frugal.schedule.WsdBranches;
import frugal.schedule.WsdSchedule;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Several training runs that share a trunk: each branch trains with the trunk's learning rates up to its branch
 * step, then with its own schedule to the end of its budget. WSD and Power both decay only at the end, so every
 * token budget of one recipe is a branch of one trunk, and one trunk run yields all budgets
 * ({@link BranchedTraining} trains them).
 *
 * <p>The constructor checks, step by step, that each branch's schedule equals the trunk's before its branch step:
 * a plan that would not reproduce its straight runs is refused.
 *
 * @param trunk the shared schedule (WSD: warmup then the peak; Power: warmup then the power law, no decay)
 * @param tokensPerStep tokens per optimiser step (batch size x context), > 0
 * @param branches the runs, stored in ascending order of branch step
 */
public record BranchPlan(LrSchedule trunk, long tokensPerStep, List<Branch> branches) {
    /**
     * One run of the plan.
     *
     * @param budget its length in tokens
     * @param steps optimiser steps of the straight run: the first step at or past {@code budget} tokens
     * @param branchStep steps it shares with the trunk, 1 to {@code steps} ({@code steps}: no own schedule)
     * @param schedule the straight run's schedule
     */
    public record Branch(long budget, long steps, long branchStep, LrSchedule schedule) {
        public Branch {
            if (budget <= 0 || steps <= 0) {
                throw new FrugalException("a branch needs a budget and steps > 0, got budget " + budget + ", steps "
                        + steps);
            }
            if (branchStep < 1 || branchStep > steps) {
                throw new FrugalException("branch of budget " + budget + ": branch step " + branchStep
                        + " must be in [1, " + steps + "]; a branch at step 0 shares nothing with the trunk:"
                        + " train it as a straight run (BranchPlan.straight)");
            }
            if (schedule == null) {
                throw new FrugalException("branch of budget " + budget + " has no schedule");
            }
        }
    }

    public BranchPlan {
        if (trunk == null || branches == null || branches.isEmpty()) {
            throw new FrugalException("a BranchPlan needs a trunk schedule and at least one branch");
        }
        if (tokensPerStep <= 0) {
            throw new FrugalException("tokensPerStep must be > 0 (batch size x context), got " + tokensPerStep);
        }
        List<Branch> sorted = new ArrayList<>(branches);
        sorted.sort(Comparator.comparingLong(Branch::branchStep).thenComparingLong(Branch::steps));
        for (Branch b : sorted) {
            for (long s = 0; s < b.branchStep(); s++) {
                long tokens = s * tokensPerStep;
                double a = trunk.lr(s, tokens);
                double c = b.schedule().lr(s, tokens);
                if (Math.abs(a - c) > 1e-12 * Math.max(Math.abs(a), Math.abs(c))) {
                    throw new FrugalException("branch of budget " + b.budget() + " leaves the trunk before its branch"
                            + " step " + b.branchStep() + ": at step " + s + " the trunk has lr " + a
                            + " and the branch " + c + "; branch later, or use a trunk its schedule follows");
                }
            }
        }
        branches = List.copyOf(sorted);
    }

    /**
     * Every budget of a WSD recipe (its warmup, peak, shape and decay fraction; see {@link WsdSchedule#branch}),
     * all branching off one stable run.
     *
     * @param budgets run lengths in the recipe's unit (tokens for a token-indexed recipe)
     */
    public static BranchPlan wsd(WsdSchedule recipe, long tokensPerStep, List<Long> budgets) {
        WsdBranches wsd = new WsdBranches(recipe, budgets);
        List<Long> at = wsd.checkpointSteps(tokensPerStep);
        List<WsdSchedule> runs = wsd.branches();
        List<Branch> branches = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            long total = runs.get(i).total();
            long steps = recipe.unit().stepsBefore(total, tokensPerStep);
            branches.add(new Branch(recipe.unit() == ScheduleUnit.TOKENS ? total : total * tokensPerStep, steps,
                    Math.min(at.get(i), steps), runs.get(i)));
        }
        return new BranchPlan(wsd.stableRun(), tokensPerStep, branches);
    }

    /**
     * Every budget of a Power recipe: its a, b, etaMax, batch size, warmup and decay shape, with the decay taking
     * the same fraction of each budget as {@code recipe.decayTokens() / recipe.totalTokens()} (rounded to whole
     * tokens). The power law before the decay does not depend on the budget, so all budgets share one trunk.
     */
    public static BranchPlan power(PowerSchedule recipe, long tokensPerStep, List<Long> budgets) {
        if (budgets == null || budgets.isEmpty()) {
            throw new FrugalException("BranchPlan.power needs at least one budget");
        }
        double decayFraction = (double) recipe.decayTokens() / recipe.totalTokens();
        long longest = budgets.stream().mapToLong(Long::longValue).max().orElseThrow();
        PowerSchedule trunk = withBudget(recipe, longest, 0);
        List<Branch> branches = new ArrayList<>();
        for (long budget : budgets) {
            long decay = Math.round(decayFraction * budget);
            PowerSchedule run = withBudget(recipe, budget, decay);
            long steps = ScheduleUnit.TOKENS.stepsBefore(budget, tokensPerStep);
            long at = ScheduleUnit.TOKENS.stepsBefore(budget - decay, tokensPerStep);
            branches.add(new Branch(budget, steps, Math.min(at, steps), run));
        }
        return new BranchPlan(trunk, tokensPerStep, branches);
    }

    /** One run with no branching: its own schedule is the trunk, trained for {@code ceil(budget / tokensPerStep)} steps. */
    public static BranchPlan straight(LrSchedule schedule, long tokensPerStep, long budget) {
        long steps = ScheduleUnit.TOKENS.stepsBefore(budget, tokensPerStep);
        return new BranchPlan(schedule, tokensPerStep, List.of(new Branch(budget, steps, steps, schedule)));
    }

    /** Optimiser steps the plan trains in all: the trunk to its last branch step plus each branch's own steps. */
    public long totalSteps() {
        long trunkSteps = branches.get(branches.size() - 1).branchStep();
        return trunkSteps + branches.stream().mapToLong(b -> b.steps() - b.branchStep()).sum();
    }

    private static PowerSchedule withBudget(PowerSchedule r, long totalTokens, long decayTokens) {
        return new PowerSchedule(r.a(), r.b(), r.etaMax(), r.batchSize(), totalTokens, r.warmupTokens(), decayTokens,
                r.shape());
    }
}
