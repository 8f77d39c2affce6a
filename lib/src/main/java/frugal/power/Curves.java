package frugal.power;

import frugal.core.FrugalException;
import frugal.plot.Series;
import java.util.ArrayList;
import java.util.List;

/** Chart series of sweep results, where diverged runs are NaN. */
final class Curves {
    private Curves() {}

    /** A series of the finite points only: diverged runs and failed fits are left out of charts. */
    static Series finite(String name, List<? extends Number> x, double[] y) {
        List<double[]> kept = new ArrayList<>();
        for (int i = 0; i < y.length; i++) {
            if (Double.isFinite(y[i]) && Double.isFinite(x.get(i).doubleValue())) {
                kept.add(new double[] {x.get(i).doubleValue(), y[i]});
            }
        }
        return new Series(name, kept.stream().mapToDouble(p -> p[0]).toArray(),
                kept.stream().mapToDouble(p -> p[1]).toArray());
    }

    /** The series that have a point; an error naming the chart when none has. */
    static Series[] nonEmpty(String chart, List<Series> series) {
        Series[] kept = series.stream().filter(s -> s.size() > 0).toArray(Series[]::new);
        if (kept.length == 0) {
            throw new FrugalException("chart '" + chart + "': every run behind it failed or diverged; see the tables");
        }
        return kept;
    }
}
