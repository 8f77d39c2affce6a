package frugal.moe;

import frugal.core.FrugalException;

/**
 * Over how many sequences the load-balancing loss gathers its expert fractions f_i: consecutive groups of
 * {@code sequences} rows of the step's batch. One micro-batch (what frameworks do when each data-parallel
 * rank computes its own loss), a group of micro-batches, or the whole global batch (the paper's proposal).
 *
 * @param name how tables and charts call it ("micro-batch", "global batch", ...)
 * @param sequences rows per balancing group
 */
public record BalanceScope(String name, int sequences) {
    public BalanceScope {
        if (name == null || name.isBlank() || sequences < 1) {
            throw new FrugalException("BalanceScope needs a name and sequences >= 1, got '" + name + "', " + sequences);
        }
    }

    /** f_i per micro-batch of {@code sequences} sequences. */
    public static BalanceScope microBatch(int sequences) {
        return new BalanceScope("micro-batch", sequences);
    }

    /** f_i over {@code count} micro-batches of {@code sequencesEach} sequences. */
    public static BalanceScope microBatches(int count, int sequencesEach) {
        return new BalanceScope(count + " micro-batches", count * sequencesEach);
    }

    /** f_i over the whole step: the global batch of {@code sequences} sequences. */
    public static BalanceScope globalBatch(int sequences) {
        return new BalanceScope("global batch", sequences);
    }

    /** "micro-batch (1 seq)". */
    public String label() {
        return name + " (" + sequences + " seq)";
    }

    /** Balancing groups in a forward pass of {@code rows} sequences; fails unless they tile it. */
    public int groupsIn(int rows) {
        if (rows % sequences != 0) {
            throw new FrugalException("the balancing scope " + label() + " gathers f_i over " + sequences
                    + " sequences, but this forward pass holds " + rows + ": f_i must be complete before the"
                    + " backward, so a scope cannot reach past one forward (with TrainConfig.withMicroBatches"
                    + " each micro-batch is its own forward). Run the scope in one forward or pick a scope that"
                    + " divides " + rows);
        }
        return rows / sequences;
    }
}
