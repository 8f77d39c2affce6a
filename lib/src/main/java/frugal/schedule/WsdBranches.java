package frugal.schedule;

import frugal.core.FrugalException;
import java.util.ArrayList;
import java.util.List;

/**
 * One WSD recipe trained at several budgets for the cost of the longest: a single stable run (warmup,
 * then the peak rate) is trained once, and each budget's decay branches off a checkpoint of it taken
 * where that budget's decay starts. Because the stable phase is constant, each branch sees exactly the
 * rates of a straight run with its budget.
 *
 * <p>This record holds the arithmetic; training the stable run and the branches is the training loop's.
 *
 * @param recipe any run of the recipe: its peak, warmup, shape, final ratio, unit and decay fraction
 *     are used, its own total is not (see {@link WsdSchedule#branch(long)})
 * @param budgets the run lengths wanted, in the recipe's unit; stored sorted ascending
 */
public record WsdBranches(WsdSchedule recipe, List<Long> budgets) {
    public WsdBranches {
        Checks.present("WsdBranches recipe", recipe);
        Checks.present("WsdBranches budgets", budgets);
        if (budgets.isEmpty()) {
            throw new FrugalException("WsdBranches needs at least one budget");
        }
        List<Long> sorted = new ArrayList<>(budgets.size());
        for (Long budget : budgets) {
            if (budget == null) {
                throw new FrugalException("WsdBranches budgets contain null: " + budgets);
            }
            sorted.add(budget);
        }
        sorted.sort(null);
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).equals(sorted.get(i - 1))) {
                throw new FrugalException("WsdBranches budget " + sorted.get(i) + " is given twice: " + budgets);
            }
        }
        sorted.forEach(recipe::branch); // each budget must fit the recipe's warmup and decay
        if (recipe.branch(sorted.get(sorted.size() - 1)).decayStart() == 0) {
            throw new FrugalException("WsdBranches: the recipe decays over its whole run (decay " + recipe.decay()
                    + " of " + recipe.total() + " " + recipe.unit().label()
                    + "), so the branches share no stable phase; use a decay shorter than the run");
        }
        budgets = List.copyOf(sorted);
    }

    /** Branches of {@code recipe} at the given budgets (any order). */
    public static WsdBranches of(WsdSchedule recipe, long... budgets) {
        List<Long> list = new ArrayList<>(budgets.length);
        for (long budget : budgets) {
            list.add(budget);
        }
        return new WsdBranches(recipe, list);
    }

    /** The straight schedule of each budget, in budget order. */
    public List<WsdSchedule> branches() {
        return budgets.stream().map(recipe::branch).toList();
    }

    /** Where each budget's decay starts, i.e. where its branch leaves the stable run, in budget order. */
    public List<Long> branchPoints() {
        return branches().stream().map(WsdSchedule::decayStart).toList();
    }

    /** How long the stable run must go: the largest branch point (the largest budget minus its decay). */
    public long stableLength() {
        return branchPoints().stream().mapToLong(Long::longValue).max().orElseThrow();
    }

    /**
     * The schedule the shared stable run trains with: the recipe's warmup, then its peak up to
     * {@link #stableLength()} (and beyond, if queried there). Before its branch point every branch
     * has exactly these rates.
     */
    public WsdSchedule stableRun() {
        return new WsdSchedule(recipe.peakLr(), stableLength(), recipe.warmup(), 0, recipe.shape(),
                recipe.finalRatio(), recipe.unit());
    }

    /**
     * For each budget, the optimiser step at which to take its checkpoint from the stable run: the
     * number of steps trained with the stable rate before its decay starts (the first step at or past
     * its branch point, {@link ScheduleUnit#stepsBefore}). Resume that checkpoint at that step with the
     * branch's schedule.
     *
     * @param tokensPerStep tokens per optimiser step, > 0; read only when the unit is TOKENS
     */
    public List<Long> checkpointSteps(long tokensPerStep) {
        return branchPoints().stream().map(p -> recipe.unit().stepsBefore(p, tokensPerStep)).toList();
    }
}
