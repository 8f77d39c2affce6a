package frugal.dg;

/**
 * A domain-generalization algorithm: how a run's models learn from one minibatch of every training domain
 * per step. Add one by implementing this and {@link Learner}; {@link Erm} is the smallest example.
 */
public interface Algorithm {
    /** Shown in tables and charts. */
    String name();

    /** Builds and initialises the run's models. */
    Learner start(RunSetup setup);
}
