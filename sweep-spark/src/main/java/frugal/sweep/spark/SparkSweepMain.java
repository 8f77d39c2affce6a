package frugal.sweep.spark;

import frugal.core.FrugalException;
import frugal.sweep.Grid;
import frugal.sweep.ResultStore;
import frugal.sweep.RunConfig;
import frugal.sweep.RunFunction;
import frugal.sweep.Sweep;
import frugal.sweep.SweepResults;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The main class of the job jar, for {@code spark-submit} (see {@code scripts/sweep-spark} and
 * sweep-spark/README.md):
 *
 * <pre>
 * spark-submit --master MASTER --class frugal.sweep.spark.SparkSweepMain frugal-sweep-spark-job.jar \
 *     --run frugal.sweep.LinearRegressionRun --grid grid.json --store /shared/sweeps/lr [--attempts 2]
 * </pre>
 *
 * The grid file holds {@code {"lr": [0.01, 0.1], "seed": [1, 2]}} (a grid) or {@code [{"lr": 0.01}, ...]} (a list);
 * the store is a folder on the driver's file system. Prints the results table and exits 0 even when some runs
 * failed: they are recorded in the store with their errors.
 */
public final class SparkSweepMain {
    static final String USAGE = "usage: SparkSweepMain --run RUN_FUNCTION_CLASS --grid GRID.json --store DIR"
            + " [--attempts N]";

    private SparkSweepMain() {}

    public static void main(String[] args) {
        try (JavaSparkContext spark = new JavaSparkContext(new SparkConf().setAppName("frugal sweep"))) {
            SweepResults r = run(spark, args);
            System.out.println(r);
            System.out.println(r.done().size() + " runs done, " + r.failed().size() + " failed, " + r.reused()
                    + " of them done before this job");
        } catch (FrugalException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
    }

    /** Runs the sweep the arguments describe on {@code spark}. */
    static SweepResults run(JavaSparkContext spark, String[] args) {
        String run = null;
        String grid = null;
        String store = null;
        int attempts = Sweep.DEFAULT_ATTEMPTS;
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new FrugalException("option " + args[i] + " needs a value; " + USAGE);
            }
            switch (args[i]) {
                case "--run" -> run = args[i + 1];
                case "--grid" -> grid = args[i + 1];
                case "--store" -> store = args[i + 1];
                case "--attempts" -> attempts = parseAttempts(args[i + 1]);
                default -> throw new FrugalException("unknown option " + args[i] + "; " + USAGE);
            }
        }
        if (run == null || grid == null || store == null) {
            throw new FrugalException("--run, --grid and --store are required; " + USAGE);
        }
        List<RunConfig> configs;
        try {
            configs = Grid.parseJson(Files.readString(Path.of(grid), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new FrugalException("the grid file " + grid + " could not be read (" + e + "); " + USAGE, e);
        }
        return Sweep.of(configs).attempts(attempts).run(RunFunction.byName(run), SparkExecutor.on(spark),
                ResultStore.at(Path.of(store)));
    }

    private static int parseAttempts(String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new FrugalException("--attempts takes a whole number, got " + value, e);
        }
    }
}
