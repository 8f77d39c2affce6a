package frugal.dg;

/**
 * What one checkpoint of a run scored. The test domain's predictions are kept, so a checkpoint chosen later
 * (by any {@link ModelSelection}) can still be evaluated per class.
 *
 * @param step training steps done
 * @param outAccuracy accuracy on each domain's out split, by domain index (the test domain's included)
 * @param testAccuracy accuracy on the test domain's in split
 * @param predictions predicted class of each evaluated test image
 * @param confidence the predicted class's softmax probability for each evaluated test image
 */
public record CheckpointRecord(long step, double[] outAccuracy, double testAccuracy, int[] predictions,
        float[] confidence) {}
