/**
 * Sweeps: grids of independent training runs with results on disk, run locally by default and on Apache Spark
 * (module frugal-sweep-spark) when one machine is not enough.
 *
 * <pre>{@code
 * SweepResults r = Sweep.of(Grid.of("lr", 1e-3, 3e-3, 1e-2).and("width", 32, 64))
 *         .run(new MyRun(), LocalExecutor.workers(2), ResultStore.at(Path.of("build/sweeps/lr-width")));
 * r.table();                                               // one row per run
 * Plots.lines("final loss", "lr", "loss", Scale.LOG, Scale.LINEAR, r.series("lr", "loss", "width"));
 * }</pre>
 *
 * <p>{@link frugal.sweep.Grid} and {@link frugal.sweep.RunConfig} say what to run; a {@link frugal.sweep.RunFunction}
 * turns one configuration into {@link frugal.sweep.Metrics}; a {@link frugal.sweep.ResultStore} keeps one JSON file
 * per finished run, so a sweep resumes where it stopped; a {@link frugal.sweep.SweepExecutor} decides where runs
 * happen ({@link frugal.sweep.LocalExecutor} worker JVMs or in process; {@code SparkExecutor} on a cluster);
 * {@link frugal.sweep.SweepResults} is the table and the chart series.
 */
package frugal.sweep;
