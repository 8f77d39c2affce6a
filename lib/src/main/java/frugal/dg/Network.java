package frugal.dg;

import frugal.nn.Classifier;

/**
 * Builds the (uninitialised) network every model of a run uses: ERM's, LFME's target and each expert. One
 * network for all algorithms keeps the comparison fair.
 */
@FunctionalInterface
public interface Network {
    Classifier build(int classes);
}
