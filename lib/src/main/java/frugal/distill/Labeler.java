package frugal.distill;

import ai.djl.ndarray.NDArray;

/**
 * Where a student's soft labels come from: teacher logits for each augmented batch the student sees
 * (SRe2L's relabel, computed online instead of stored per crop). Called outside autograd.
 */
@FunctionalInterface
public interface Labeler {
    /** Logits (N x classes) for {@code images}, attached to the images' manager. */
    NDArray logits(NDArray images);

    /**
     * One teacher's logits: batch norm from its running statistics (SRe2L), or from the student's batch
     * itself when {@code batchSpecific} (SRe2L++ / CV-DD).
     */
    static Labeler of(Teacher teacher, boolean batchSpecific) {
        return batchSpecific ? teacher::batchStatisticsLogits : teacher::logits;
    }
}
