package frugal.sweep;

import java.nio.file.Path;

/** A sweep in its own JVM, for {@link KillResumeTest} to kill: 8 slow probe runs on 2 worker JVMs. */
public final class SweepDriverMain {
    static final Grid GRID = Grid.of("x", 1, 2, 3, 4, 5, 6, 7, 8).and("sleep_ms", 600);

    private SweepDriverMain() {}

    public static void main(String[] args) {
        Sweep.of(GRID).run(new ProbeRun(), LocalExecutor.workers(2), ResultStore.at(Path.of(args[0])));
    }
}
