package frugal.train;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * What AdamW and SGD share: the parameters, their state slots (moments, momentum buffers) and the step count,
 * saved and restored through {@link OptimizerState}. Subclasses write only the update.
 */
abstract class SlotOptimizer implements Optimizer {
    protected final TrainableParams params;
    protected final List<TrainableParams.Entry> entries;
    protected final OptimizerState state;
    private int[] owners;
    private int ownerParts;

    /** @param kind the name checkpoints record (passed in: subclasses' fields are not set yet here) */
    SlotOptimizer(TrainableParams params, String kind, int slotsPerParam) {
        this.params = params;
        this.entries = params.entries();
        this.state = new OptimizerState(params, kind, slotsPerParam);
    }

    /** Checks the gradient count, then counts the step. */
    protected final long advance(int gradientCount) {
        if (gradientCount != entries.size()) {
            throw new IllegalArgumentException("expected " + entries.size() + " gradients, got " + gradientCount);
        }
        return state.advance();
    }

    /**
     * Which of {@code parts} threads updates each array: largest first, each to the part with the fewest elements
     * so far (each part's share of the work about equal); cached per part count.
     */
    protected final int[] owners(int parts) {
        int[] cached = owners;
        if (cached != null && ownerParts == parts) {
            return cached;
        }
        Integer[] bySize = new Integer[entries.size()];
        for (int i = 0; i < bySize.length; i++) {
            bySize[i] = i;
        }
        Arrays.sort(bySize, Comparator.comparingLong((Integer i) -> entries.get(i).array().size()).reversed());
        long[] load = new long[parts];
        int[] owner = new int[entries.size()];
        for (int i : bySize) {
            int least = 0;
            for (int p = 1; p < parts; p++) {
                least = load[p] < load[least] ? p : least;
            }
            owner[i] = least;
            load[least] += entries.get(i).array().size();
        }
        ownerParts = parts;
        owners = owner;
        return owner;
    }

    @Override
    public TrainableParams params() {
        return params;
    }

    /** Bytes of the state arrays (moments, momentum buffers) this optimiser holds: what it adds to training memory. */
    public long stateBytes() {
        return state.bytes();
    }

    @Override
    public long stepCount() {
        return state.steps();
    }

    @Override
    public void saveState(DataOutputStream out) throws IOException {
        state.save(out);
    }

    @Override
    public void loadState(DataInputStream in) throws IOException {
        state.load(in);
    }

    @Override
    public void close() {
        state.close();
    }
}
