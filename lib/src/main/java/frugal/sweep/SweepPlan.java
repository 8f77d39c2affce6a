package frugal.sweep;

import frugal.core.FrugalException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What an executor is asked to run: the configurations not yet finished, the run function and how often to try.
 *
 * @param configs configurations to run, in order
 * @param function the run function (executors in other JVMs use its {@link RunFunction#className class name})
 * @param attempts how many times a failing run is started before it is recorded as failed
 * @param logDir where executors that start processes write their logs
 */
public record SweepPlan(List<RunConfig> configs, RunFunction function, int attempts, Path logDir) {
    public SweepPlan {
        configs = List.copyOf(configs);
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(logDir, "logDir");
        if (attempts < 1) {
            throw new FrugalException("a sweep needs attempts >= 1 (1 = no retry), got " + attempts);
        }
    }
}
