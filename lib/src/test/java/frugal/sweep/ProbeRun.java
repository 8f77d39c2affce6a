package frugal.sweep;

/**
 * A run function for executor tests, created by name in worker JVMs. Reports where it ran and with how many
 * PyTorch threads; {@code x} gives {@code square}; {@code sleep_ms} makes it slow; {@code fail} throws;
 * {@code halt} kills its JVM (a native crash as the parent sees it).
 */
public final class ProbeRun implements RunFunction {
    @Override
    public Metrics run(RunConfig config) throws Exception {
        Thread.sleep(config.getLong("sleep_ms", 0));
        if (config.getBoolean("fail", false)) {
            throw new IllegalStateException("configured to fail: " + config);
        }
        if (config.getBoolean("halt", false)) {
            Runtime.getRuntime().halt(7);
        }
        double x = config.getDouble("x", 0);
        return Metrics.empty().withFinal("square", x * x).withFinal("pid", ProcessHandle.current().pid())
                .withFinal("threads", ThreadBudget.current());
    }
}
